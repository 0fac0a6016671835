// Reservations: commands on the event-sourced aggregate (events and read models in one
// transaction) and reads of the read model. The read model keeps the proto Reservation
// (`data`), so a read is one decode and goes to the RPCs as it is.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { DomainError } from "@triphub/platform/domain-error";
import type { Sealer } from "@triphub/platform/sealing";
import {
  type Aggregate,
  type EventLog,
  type EventTx,
  fold,
  handleCommand,
  loadStream,
  type StoredEvent,
} from "@triphub/platform/events";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { ReservationCommand } from "../domain/reservation-commands.js";
import { reservationDecider } from "../domain/reservation-decider.js";
import { RESERVATION_STREAM, type ReservationEvent } from "../domain/reservation-events.js";
import type { ReservationAggregate, ReservationState } from "../domain/reservation-state.js";
import { nextStep } from "../domain/saga.js";
import { checkOutInstant } from "../domain/stay-times.js";
import { reservationStatus } from "../proto-mapping/enums.js";
import { createReservationEventCodec } from "../proto-mapping/events.js";
import { toProtoReservation } from "../proto-mapping/reservation.js";
import type { ReservationDb } from "./db.js";
import { openRequested, openReservationData, sealedReservationData } from "./personal-data.js";
import { reservationRequests, reservations, sagaWork } from "./schema.js";

/** The reservation service's event log: its table and the NOTIFY channel of new events. */
export const RESERVATION_LOG: EventLog = { table: "events", channel: "reservation_events" };

/** The reservation aggregate, its personal data sealed with `sealer`. */
export const reservationAggregate = (sealer: Sealer): Aggregate<ReservationCommand, ReservationState, ReservationEvent> => ({
  log: RESERVATION_LOG,
  streamType: RESERVATION_STREAM,
  decider: reservationDecider,
  codec: createReservationEventCodec(sealer),
});

/** A reservation's state after a command. */
export interface Outcome {
  state: ReservationAggregate;
  /** What the command recorded; empty when it changed nothing. */
  events: readonly ReservationEvent[];
}

/** The Reservation read model's row of `reservationId` in `state`, the guest's contact sealed with `sealer`. */
export function reservationRow(sealer: Sealer, reservationId: string, state: ReservationAggregate): typeof reservations.$inferInsert {
  const r = state.reservation;
  return {
    reservationId,
    guestId: r.guestId,
    hostId: r.hostId === "" ? null : r.hostId,
    propertyId: r.propertyId,
    // The proto enum's number: what ListReservations filters on.
    status: reservationStatus.toProto(r.status),
    checkIn: r.checkIn,
    stayEndsAt: r.status === "confirmed" ? checkOutInstant(r) : null,
    createTime: r.createdAt,
    version: r.version,
    data: sealedReservationData(sealer, reservationId, toProtoReservation(reservationId, r)),
  };
}

/** Writes the read models of `reservationId` from its state: the Reservation row and its saga work. */
export async function projectReservation(sealer: Sealer, tx: EventTx, reservationId: string, state: ReservationState): Promise<void> {
  if (!state) return;
  const row = reservationRow(sealer, reservationId, state);
  const { reservationId: _, ...changes } = row;
  await tx.insert(reservations).values(row).onConflictDoUpdate({ target: reservations.reservationId, set: changes });
  if (nextStep(state)) {
    // A new step is due at once; the lease of whoever drives the saga stays.
    await tx
      .insert(sagaWork)
      .values({ reservationId, dueAt: sql`now()` })
      .onConflictDoUpdate({ target: sagaWork.reservationId, set: { dueAt: sql`now()`, attempts: 0 } });
  } else {
    await tx.delete(sagaWork).where(eq(sagaWork.reservationId, reservationId));
  }
}

/** The reservations' store. */
export interface ReservationStore {
  /**
   * The reservation a guest's request id names: `reservationId` when this is the first time,
   * else the one it named before. A different request under the same id is ALREADY_EXISTS.
   */
  claimRequest(guestId: string, requestId: string, digest: string, reservationId: string): Promise<string>;
  /**
   * Runs a command on a reservation's stream. `known`, the state the caller's previous command
   * left, saves reading the stream (a stale one is read again).
   */
  run(reservationId: string, command: ReservationCommand, now: Date, known?: ReservationAggregate): Promise<Outcome>;
  /** A reservation's state, folded from its events; undefined when it has none. */
  load(reservationId: string): Promise<ReservationAggregate | undefined>;
  /** The read model of a reservation, as the RPCs return it. */
  get(reservationId: string): Promise<Reservation | undefined>;
  /** A reservation's events, oldest first, the guest's contact and card token opened. */
  history(reservationId: string): Promise<StoredEvent[]>;
  /** Up to `limit` CONFIRMED reservations whose stay ended by `at`, soonest ended first. */
  staysEndedBy(at: Date, limit: number): Promise<string[]>;
  /** The W3C traceparent its latest event was written under (tracing on), if any. */
  lastTraceparent(reservationId: string): Promise<string | undefined>;
}

/** The store over `db`; the guest's personal data is sealed and opened with `sealer`. */
export function createReservationStore(db: ReservationDb, sealer: Sealer): ReservationStore {
  const aggregate = reservationAggregate(sealer);
  return {
    async claimRequest(guestId, requestId, digest, reservationId) {
      const [inserted] = await db
        .insert(reservationRequests)
        .values({ guestId, requestId, reservationId, requestDigest: digest })
        .onConflictDoNothing()
        .returning({ reservationId: reservationRequests.reservationId });
      if (inserted) return inserted.reservationId;
      const [existing] = await db
        .select()
        .from(reservationRequests)
        .where(and(eq(reservationRequests.guestId, guestId), eq(reservationRequests.requestId, requestId)));
      if (!existing) throw new DomainError("conflict", "the request id was released concurrently; retry");
      if (existing.requestDigest !== digest) {
        throw new DomainError("already_exists", `request_id ${requestId} was already used for a different reservation request`, {
          reason: "REQUEST_ID_REUSED",
        });
      }
      return existing.reservationId;
    },

    async run(reservationId, command, now, known) {
      const result = await handleCommand(db, aggregate, reservationId, command, now, {
        project: (tx, events) => projectReservation(sealer, tx, reservationId, events.at(-1)?.state),
        // The state after the caller's previous command, at the stream version it counts.
        known: known && { state: known, version: known.reservation.version },
      });
      if (!result.state) throw new DomainError("not_found", `reservation ${reservationId} not found`);
      return { state: result.state, events: result.events };
    },

    async load(reservationId) {
      const history = await loadStream(db, RESERVATION_LOG, { streamType: RESERVATION_STREAM, streamId: reservationId });
      return fold(
        reservationDecider,
        history.map((e) => aggregate.codec.decode(e.type, e.payload, e.occurTime)),
      );
    },

    async get(reservationId) {
      const [row] = await db.select({ data: reservations.data }).from(reservations).where(eq(reservations.reservationId, reservationId));
      return row && openReservationData(sealer, reservationId, row.data);
    },

    async history(reservationId) {
      const events = await loadStream(db, RESERVATION_LOG, { streamType: RESERVATION_STREAM, streamId: reservationId });
      return events.map((e) => (e.type === ReservationRequestedSchema.typeName ? { ...e, payload: openedRequestedPayload(sealer, e.payload) } : e));
    },

    async lastTraceparent(reservationId) {
      const [row] = await db.execute<{ traceparent: string | null }>(sql`
        select metadata->>'traceparent' as traceparent from ${sql.identifier(RESERVATION_LOG.table)}
        where stream_type = ${RESERVATION_STREAM} and stream_id = ${reservationId}
        order by stream_version desc limit 1`);
      return row?.traceparent ?? undefined;
    },

    async staysEndedBy(at, limit) {
      const rows = await db
        .select({ id: reservations.reservationId })
        .from(reservations)
        .where(and(eq(reservations.status, ReservationStatus.CONFIRMED), lte(reservations.stayEndsAt, at)))
        .orderBy(asc(reservations.stayEndsAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },
  };
}

/** A stored ReservationRequested payload with its contact and card token opened. */
function openedRequestedPayload(sealer: Sealer, payload: Uint8Array): Uint8Array {
  return toBinary(ReservationRequestedSchema, openRequested(sealer, fromBinary(ReservationRequestedSchema, payload)));
}
