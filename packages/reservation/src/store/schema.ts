// The drizzle schema: the tables this service owns. The events table is the truth; the others
// are projections written in the same transaction as the events they follow, and can be
// rebuilt from the log (`rebuild` in store/projections.ts). Change it here, run
// `pnpm db:generate` in this package and commit the new drizzle/*.sql; never edit a committed one.
import { eventsTable } from "@triphub/platform/events";
import { dataKeysTable } from "@triphub/platform/sealing";
import { sql } from "drizzle-orm";
import { customType, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array }>({ dataType: () => "bytea" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** Every reservation's events (stream_type "reservation", stream_id the reservation id). */
export const events = eventsTable("events");

/** The data keys the guest's personal data is sealed with (see store/personal-data.ts). */
export const dataKeys = dataKeysTable();

/**
 * The Reservation read model: the proto message as folded from the events (`data`, the guest's
 * contact sealed in it), with the
 * columns the lists filter and order on beside it.
 */
export const reservations = pgTable(
  "reservations",
  {
    reservationId: uuid("reservation_id").primaryKey(),
    guestId: uuid("guest_id").notNull(),
    // Known once rooms are held.
    hostId: uuid("host_id"),
    propertyId: uuid("property_id").notNull(),
    status: smallint("status").notNull(),
    checkIn: date("check_in", { mode: "string" }).notNull(),
    // When a CONFIRMED stay ends at the property (check-out time in its time zone): what the
    // completion job waits for.
    stayEndsAt: timestamptz("stay_ends_at"),
    createTime: timestamptz("create_time").notNull(),
    version: integer("version").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [
    index("reservations_guest_idx").on(t.guestId, t.createTime, t.reservationId),
    index("reservations_host_idx").on(t.hostId, t.createTime, t.reservationId),
    index("reservations_property_idx").on(t.propertyId, t.createTime, t.reservationId),
    // Status 4 is CONFIRMED.
    index("reservations_stay_end_idx").on(t.stayEndsAt).where(sql`status = 4`),
  ],
);

/**
 * CreateReservation's idempotency: a guest's request id names one reservation, and the digest
 * of the request tells a retry from a different request reusing the id.
 */
export const reservationRequests = pgTable(
  "reservation_requests",
  {
    guestId: uuid("guest_id").notNull(),
    requestId: uuid("request_id").notNull(),
    reservationId: uuid("reservation_id").notNull(),
    requestDigest: text("request_digest").notNull(),
  },
  (t) => [primaryKey({ name: "reservation_requests_pkey", columns: [t.guestId, t.requestId] })],
);

/**
 * Sagas with work left (a forward step or a compensation): a row per reservation, present
 * exactly while `nextStep` of its state says so. A process drives a saga while it holds the
 * lease; a crashed process's lease runs out and another (or the restarted one) takes over.
 */
export const sagaWork = pgTable(
  "saga_work",
  {
    reservationId: uuid("reservation_id").primaryKey(),
    // When the step is next due (after a backoff); the saga's deadline counts from create time.
    dueAt: timestamptz("due_at").notNull().default(sql`now()`),
    leaseUntil: timestamptz("lease_until"),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("saga_work_due_idx").on(t.dueAt)],
);
