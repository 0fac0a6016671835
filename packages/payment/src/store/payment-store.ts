// The payment aggregate on PostgreSQL: commands run through the platform's handleCommand (load
// the stream, decide, append at the version read, project, all in one transaction); reads come
// from the payments read model that the same transaction keeps up to date.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { PaymentSchema } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { timestamptz } from "@triphub/platform";
import {
  type Aggregate,
  type AppendedEvent,
  type EventLog,
  type EventTx,
  handleCommand,
  rebuildProjections,
} from "@triphub/platform/events";
import { and, asc, eq, gt, lte, or } from "drizzle-orm";
import { decide, evolve, type Payment, type PaymentCommand, type PaymentEvent, type PaymentState } from "../domain/payment.js";
import { decodePaymentEvent, paymentEventCodec } from "../proto-mapping/events.js";
import { fromProtoPayment, toProtoPayment } from "../proto-mapping/payment.js";
import type { PaymentDb } from "./db.js";
import { payments } from "./schema.js";

/** Where the payment service keeps its events, and the channel that announces new ones. */
export const EVENT_LOG: EventLog = { table: "events", channel: "payment_events" };

/** The payment aggregate: its decider, codec and stream type. */
export const paymentAggregate: Aggregate<PaymentCommand, PaymentState, PaymentEvent> = {
  log: EVENT_LOG,
  streamType: "payment",
  decider: { initialState: undefined, decide, evolve },
  codec: paymentEventCodec,
};

/** Where a page of a reservation's payments resumes: after this (created, id). */
export interface PaymentCursor {
  createdAt: Date;
  paymentId: string;
}

/** The outcome of a command: the payment after it and whether it appended anything. */
export interface Executed {
  payment: Payment;
  changed: boolean;
}

/** Writes `p` (at stream `version`) into the read model. */
async function upsertReadModel(tx: EventTx, p: Payment, version: number): Promise<void> {
  const row = {
    paymentId: p.paymentId,
    reservationId: p.reservationId,
    payerId: p.payerId,
    status: p.status,
    createdAt: p.createdAt,
    authorizationExpiresAt: p.authorizationExpiresAt ?? null,
    version,
    snapshot: toBinary(PaymentSchema, toProtoPayment(p)),
  };
  await tx
    .insert(payments)
    .values(row)
    .onConflictDoUpdate({ target: payments.paymentId, set: { ...row, paymentId: undefined } });
}

const fromRow = (row: { snapshot: Uint8Array }): Payment => fromProtoPayment(fromBinary(PaymentSchema, new Uint8Array(row.snapshot)));

/** The payment store over `db`. */
export function createPaymentStore(db: PaymentDb) {
  return {
    /**
     * Runs `command` on the payment `paymentId` at `now`. `alsoInTransaction` runs in the
     * transaction that records the events (only when there are any), e.g. to settle an
     * idempotency key with them.
     */
    async execute(paymentId: string, command: PaymentCommand, now: Date, alsoInTransaction?: (tx: EventTx) => Promise<void>): Promise<Executed> {
      const result = await handleCommand(db, paymentAggregate, paymentId, command, now, {
        project: async (tx, appended: readonly AppendedEvent<PaymentEvent, PaymentState>[]) => {
          const last = appended[appended.length - 1];
          if (last?.state !== undefined) await upsertReadModel(tx, last.state, last.version);
          await alsoInTransaction?.(tx);
        },
      });
      if (result.state === undefined) throw new Error(`payment ${paymentId} has no events after ${command.type}`);
      return { payment: result.state, changed: result.events.length > 0 };
    },

    /** The payment `paymentId` as the read model has it; undefined when there is none. */
    async get(paymentId: string): Promise<Payment | undefined> {
      const [row] = await db.select({ snapshot: payments.snapshot }).from(payments).where(eq(payments.paymentId, paymentId));
      return row && fromRow(row);
    },

    /** Up to `limit` payments of a reservation, oldest first, after `cursor`; only `payerId`'s when given. */
    async listByReservation(reservationId: string, opts: { payerId?: string; after?: PaymentCursor; limit: number }): Promise<Payment[]> {
      const after = opts.after;
      const rows = await db
        .select({ snapshot: payments.snapshot })
        .from(payments)
        .where(
          and(
            eq(payments.reservationId, reservationId),
            opts.payerId === undefined ? undefined : eq(payments.payerId, opts.payerId),
            after === undefined
              ? undefined
              : or(gt(payments.createdAt, timestamptz(after.createdAt)), and(eq(payments.createdAt, timestamptz(after.createdAt)), gt(payments.paymentId, after.paymentId))),
          ),
        )
        .orderBy(asc(payments.createdAt), asc(payments.paymentId))
        .limit(opts.limit);
      return rows.map(fromRow);
    },

    /** Ids of up to `limit` open authorizations that have lapsed at `now`, the oldest first. */
    async lapsedAuthorizations(now: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ paymentId: payments.paymentId })
        .from(payments)
        .where(and(eq(payments.status, "authorized"), lte(payments.authorizationExpiresAt, timestamptz(now))))
        .orderBy(asc(payments.authorizationExpiresAt))
        .limit(limit);
      return rows.map((r) => r.paymentId);
    },

    /**
     * Rebuilds the read model from the log: empties it, then folds every event, in position
     * order, into its payment's row. Run with the writers stopped (see rebuildProjections).
     */
    rebuildReadModel(): Promise<number> {
      return rebuildProjections(db, EVENT_LOG, {
        reset: async (tx) => {
          await tx.delete(payments);
        },
        apply: async (tx, stored) => {
          if (stored.streamType !== paymentAggregate.streamType) return;
          const [row] = await tx.select({ snapshot: payments.snapshot }).from(payments).where(eq(payments.paymentId, stored.streamId));
          const after = evolve(row && fromRow(row), decodePaymentEvent(stored.type, stored.payload));
          if (after !== undefined) await upsertReadModel(tx, after, stored.streamVersion);
        },
      });
    },
  };
}

/** The payment store of one service instance. */
export type PaymentStore = ReturnType<typeof createPaymentStore>;
