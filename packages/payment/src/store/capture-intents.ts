// Captures asked of the provider whose outcome is not recorded yet (see the capture_intents table).
import type { EventTx } from "@triphub/platform/events";
import { eq } from "drizzle-orm";
import type { Money } from "../domain/money.js";
import type { PaymentDb } from "./db.js";
import { captureIntents } from "./schema.js";

/** The capture intent store over `db`. */
export function createCaptureIntents(db: PaymentDb) {
  return {
    /** Records that `amount` of the payment is about to be captured (the latest ask wins). */
    async record(paymentId: string, amount: Money, now: Date): Promise<void> {
      const row = { paymentId, amountMinor: amount.amountMinor, currency: amount.currency, createdAt: now };
      await db.insert(captureIntents).values(row).onConflictDoUpdate({ target: captureIntents.paymentId, set: row });
    },

    /** The capture asked for the payment and never recorded, if any. */
    async pending(paymentId: string): Promise<Money | undefined> {
      const [row] = await db.select().from(captureIntents).where(eq(captureIntents.paymentId, paymentId));
      return row && { amountMinor: row.amountMinor, currency: row.currency };
    },

    /** Forgets the intent, in `tx` when given (the transaction that records the capture). */
    async clear(paymentId: string, tx?: EventTx): Promise<void> {
      await (tx ?? db).delete(captureIntents).where(eq(captureIntents.paymentId, paymentId));
    },
  };
}

/** The capture intents of one service. */
export type CaptureIntents = ReturnType<typeof createCaptureIntents>;
