// Writes demo stays as the service would have: every event in the log (the truth), the
// Reservation read model row of each stay's final state, and the idempotency record of its
// CreateReservation, in bulk. A completed stay has no saga work, so no saga_work row.
import { createHash } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { CreateReservationRequestSchema } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { POSITION_SHIFT } from "@triphub/platform/events";
import type { Sealer } from "@triphub/platform/sealing";
import type { Sql } from "postgres";
import { RESERVATION_STREAM } from "../domain/reservation-events.js";
import { nextStep } from "../domain/saga.js";
import { toProtoContact, toProtoGuests } from "../proto-mapping/guests.js";
import { toProtoMoney } from "../proto-mapping/money.js";
import { createReservationEventCodec } from "../proto-mapping/events.js";
import { RESERVATION_LOG, reservationRow } from "../store/reservation-store.js";
import { uuidFromName } from "@triphub/platform";
import { type CompletedStay, completedStay, type StaySpec } from "./stay-history.js";

/**
 * Stays per transaction: a position is the writing transaction's id shifted left by
 * POSITION_SHIFT plus the event's index in it, so one transaction holds at most 2^16 events;
 * a thousand stays (5,000 events) stay far below that, keep each statement's JSON small, and let
 * the next batch be computed while PostgreSQL writes this one.
 */
const STAYS_PER_TRANSACTION = 1_000;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** What CreateReservation stores to recognise a retry: the SHA-256 of the request as sent. */
function requestDigest(s: CompletedStay): string {
  const q = s.request;
  const req = create(CreateReservationRequestSchema, {
    requestId: q.requestId,
    propertyId: q.propertyId,
    roomTypeId: q.roomTypeId,
    checkIn: q.checkIn,
    checkOut: q.checkOut,
    guests: toProtoGuests(q.guests),
    units: q.units,
    contact: toProtoContact(q.contact),
    specialRequests: q.specialRequests,
    paymentMethodToken: q.paymentMethodToken,
    expectedTotal: q.expectedTotal && toProtoMoney(q.expectedTotal),
  });
  return createHash("sha256").update(toBinary(CreateReservationRequestSchema, req)).digest("base64url");
}

/** The ids among `ids` whose streams already have events. */
export async function existingStays(sql: Sql, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ stream_id: string }[]>`
    select distinct stream_id from events where stream_type = ${RESERVATION_STREAM} and stream_id = any(${ids as string[]}::text[])`;
  return new Set(rows.map((r) => r.stream_id));
}

/**
 * Writes the stays whose streams do not exist yet, a thousand per transaction (a batch is all or
 * nothing; a run cut short resumes with the next), oldest booking first, and within a
 * transaction each event at a position in the order of its time, as a live service would have
 * appended them. Followers of StreamEvents are woken after each batch. Resolves to how many
 * stays were written.
 */
export async function writeStays(sql: Sql, sealer: Sealer, specs: readonly StaySpec[]): Promise<number> {
  const done = await existingStays(sql, specs.map((s) => s.reservationId));
  const todo = specs.filter((s) => !done.has(s.reservationId)).sort((a, b) => a.bookedAt.getTime() - b.bookedAt.getTime());
  let writing: Promise<void> = Promise.resolve();
  for (let i = 0; i < todo.length; i += STAYS_PER_TRANSACTION) {
    // Decided and encoded while the previous batch is being written.
    const batch = batchRows(sealer, todo.slice(i, i + STAYS_PER_TRANSACTION).map(completedStay));
    await writing;
    writing = writeBatch(sql, batch);
  }
  await writing;
  return todo.length;
}

/** A batch's rows, as the JSON parameters of its three statements. */
interface BatchRows {
  events: string;
  reservations: string;
  requests: string;
}

function batchRows(sealer: Sealer, stays: readonly CompletedStay[]): BatchRows {
  // The guest's contact and card token sealed, in the events and the rows, as the service seals them.
  const codec = createReservationEventCodec(sealer);
  const events = stays
    .flatMap((s) => s.events.map((e, i) => ({ stay: s, e, version: i + 1 })))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.stay.reservationId.localeCompare(b.stay.reservationId) || a.version - b.version)
    .map(({ stay, e, version }, n) => {
      const encoded = codec.encode(e, undefined);
      return {
        n,
        event_id: uuidFromName(`${stay.reservationId}/event/${version}`),
        stream_id: stay.reservationId,
        stream_version: version,
        type: encoded.type,
        payload: b64(encoded.payload),
        occur_time: e.at.toISOString(),
      };
    });
  const rows = stays.map((s) => {
    if (nextStep(s.state)) throw new Error(`demo stay ${s.reservationId} would leave saga work`);
    const row = reservationRow(sealer, s.reservationId, s.state);
    return {
      reservation_id: row.reservationId,
      guest_id: row.guestId,
      host_id: row.hostId,
      property_id: row.propertyId,
      status: row.status,
      check_in: row.checkIn,
      stay_ends_at: row.stayEndsAt?.toISOString() ?? null,
      create_time: row.createTime.toISOString(),
      version: row.version,
      data: b64(row.data),
    };
  });
  const requests = stays.map((s) => ({
    guest_id: s.request.guestId,
    request_id: s.request.requestId,
    reservation_id: s.reservationId,
    request_digest: requestDigest(s),
  }));
  return { events: JSON.stringify(events), reservations: JSON.stringify(rows), requests: JSON.stringify(requests) };
}

async function writeBatch(sql: Sql, batch: BatchRows): Promise<void> {
  await sql.begin(async (tx) => {
    // One JSON parameter per statement: no parameter limit, and PostgreSQL does the conversions.
    await tx.unsafe(
      `insert into events (position, event_id, stream_type, stream_id, stream_version, type, payload, metadata, occur_time)
       select (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) + e.n, e.event_id, $2, e.stream_id, e.stream_version,
              e.type, decode(e.payload, 'base64'), '{}'::jsonb, e.occur_time
       from json_to_recordset($1::text::json) as e(n int, event_id uuid, stream_id text, stream_version int, type text, payload text, occur_time timestamptz)`,
      [batch.events, RESERVATION_STREAM],
    );
    await tx.unsafe(
      `insert into reservations (reservation_id, guest_id, host_id, property_id, status, check_in, stay_ends_at, create_time, version, data)
       select r.reservation_id, r.guest_id, r.host_id, r.property_id, r.status, r.check_in, r.stay_ends_at, r.create_time, r.version, decode(r.data, 'base64')
       from json_to_recordset($1::text::json) as r(reservation_id uuid, guest_id uuid, host_id uuid, property_id uuid, status smallint,
            check_in date, stay_ends_at timestamptz, create_time timestamptz, version int, data text)`,
      [batch.reservations],
    );
    await tx.unsafe(
      `insert into reservation_requests (guest_id, request_id, reservation_id, request_digest)
       select q.guest_id, q.request_id, q.reservation_id, q.request_digest
       from json_to_recordset($1::text::json) as q(guest_id uuid, request_id uuid, reservation_id uuid, request_digest text)
       on conflict do nothing`,
      [batch.requests],
    );
  });
  // After the commit, as writeTransaction does: followers read the new events now.
  await sql`select pg_notify(${RESERVATION_LOG.channel}, '')`;
}
