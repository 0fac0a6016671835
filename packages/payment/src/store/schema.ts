// The drizzle schema: the tables this service owns. After changing it, run `pnpm db:generate`
// in this package and commit the new drizzle/NNNN_*.sql; never edit a committed one.
import { eventsTable } from "@triphub/platform/events";
import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array }>({ dataType: () => "bytea" });
// Millisecond precision matches JavaScript's Date, so a time read back compares equal.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** The truth: every payment's events (stream_type "payment", stream_id the payment id). */
export const events = eventsTable("events");

/**
 * The read model of GetPayment, ListPayments and the authorization expirer, projected from the
 * events in the transaction that appends them (and rebuilt from them by replay). `snapshot` is
 * the payment as the contract's Payment message; the other columns are what queries filter
 * and sort on.
 */
export const payments = pgTable(
  "payments",
  {
    paymentId: uuid("payment_id").primaryKey(),
    reservationId: uuid("reservation_id").notNull(),
    payerId: uuid("payer_id").notNull(),
    status: text("status").notNull(),
    createdAt: ts("created_at").notNull(),
    authorizationExpiresAt: ts("authorization_expires_at"),
    /** The stream version the row reflects. */
    version: integer("version").notNull(),
    snapshot: bytea("snapshot").notNull(),
  },
  (t) => [
    index("payments_reservation_idx").on(t.reservationId, t.createdAt, t.paymentId),
    // Only open authorizations are ever swept; the partial index stays small.
    index("payments_open_authorization_idx").on(t.authorizationExpiresAt).where(sql`${t.status} = 'authorized'`),
  ],
);

/**
 * AuthorizePayment's idempotency keys. A key is claimed by inserting its row before the
 * provider is asked: the unique key makes exactly one of many concurrent callers the one that
 * asks; the others wait until it is `done` (or gone, when the provider was unreachable).
 * The request is kept as what makes it the same request (reservation, payer, amount and a
 * SHA-256 digest of the card token, never the token).
 */
export const authorizationKeys = pgTable("authorization_keys", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  paymentId: uuid("payment_id").notNull(),
  reservationId: uuid("reservation_id").notNull(),
  payerId: uuid("payer_id").notNull(),
  amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
  currency: text("currency").notNull(),
  tokenSha256: text("token_sha256").notNull(),
  /** "pending" while the provider is asked; "done" once the payment is recorded. */
  state: text("state").notNull(),
  claimedAt: ts("claimed_at").notNull(),
});

/**
 * Captures asked of the provider and not yet recorded: inserted before the provider is asked,
 * deleted in the transaction that records the capture (or when the provider refuses). A row
 * left behind means the answer was lost (a crash, an outage): the provider may hold the money,
 * so every later operation on the payment asks again and records what it says first.
 */
export const captureIntents = pgTable("capture_intents", {
  paymentId: uuid("payment_id").primaryKey(),
  amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
  currency: text("currency").notNull(),
  createdAt: ts("created_at").notNull(),
});
