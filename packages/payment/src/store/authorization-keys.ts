// AuthorizePayment's idempotency keys: claimed before the provider is asked, settled in the
// transaction that records the payment, dropped again when the provider could not be reached.
import type { EventTx } from "@triphub/platform/events";
import { and, eq, lt } from "drizzle-orm";
import type { PaymentDb } from "./db.js";
import { authorizationKeys } from "./schema.js";

/** A key's row: what was asked under it and how far it got. */
export type AuthorizationKey = typeof authorizationKeys.$inferSelect;

/** What a claim found: the key is now the caller's, or someone else's (maybe still pending). */
export type Claim = { claimed: true } | { claimed: false; existing: AuthorizationKey };

/** The authorization key store over `db`. */
export function createAuthorizationKeys(db: PaymentDb) {
  return {
    /**
     * Claims `key.idempotencyKey` as "pending" unless someone has: the primary key lets one of
     * any number of concurrent claims win; the others get the winner's row.
     */
    async claim(key: Omit<AuthorizationKey, "state">): Promise<Claim> {
      for (;;) {
        const inserted = await db
          .insert(authorizationKeys)
          .values({ ...key, state: "pending" })
          .onConflictDoNothing()
          .returning({ idempotencyKey: authorizationKeys.idempotencyKey });
        if (inserted.length > 0) return { claimed: true };
        const existing = await this.get(key.idempotencyKey);
        // Dropped between the insert and the read (its provider call failed): claim again.
        if (existing) return { claimed: false, existing };
      }
    },

    async get(idempotencyKey: string): Promise<AuthorizationKey | undefined> {
      const [row] = await db.select().from(authorizationKeys).where(eq(authorizationKeys.idempotencyKey, idempotencyKey));
      return row;
    },

    /** Settles a claim: its payment is recorded in `tx`. */
    async settle(tx: EventTx, idempotencyKey: string): Promise<void> {
      await tx.update(authorizationKeys).set({ state: "done" }).where(eq(authorizationKeys.idempotencyKey, idempotencyKey));
    },

    /** Gives a pending claim up (nothing was recorded under it), so a retry asks the provider again. */
    async release(idempotencyKey: string): Promise<void> {
      await db
        .delete(authorizationKeys)
        .where(and(eq(authorizationKeys.idempotencyKey, idempotencyKey), eq(authorizationKeys.state, "pending")));
    },

    /** Drops a pending claim made before `claimedBefore` (its holder died mid-call); true when it did. */
    async dropStale(idempotencyKey: string, claimedBefore: Date): Promise<boolean> {
      const dropped = await db
        .delete(authorizationKeys)
        .where(
          and(
            eq(authorizationKeys.idempotencyKey, idempotencyKey),
            eq(authorizationKeys.state, "pending"),
            lt(authorizationKeys.claimedAt, claimedBefore),
          ),
        )
        .returning({ idempotencyKey: authorizationKeys.idempotencyKey });
      return dropped.length > 0;
    },
  };
}

/** The authorization key store of one service instance. */
export type AuthorizationKeys = ReturnType<typeof createAuthorizationKeys>;
