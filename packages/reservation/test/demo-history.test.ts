// The demo history `npm start` seeds: completed stays written as the service's own events, read
// model rows and request records, which a rebuild reproduces and the real service serves.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { createLogger, type Database, dataKeks, openDatabase, openSealer, type Sealer } from "@triphub/platform";
import type { EventDb } from "@triphub/platform/events";
import { clientAs, serviceDeps, type StackUser, startAuth, type TestAuth } from "@triphub/test-stack";
import { freshDatabase, rejectionOf, type RunningService, serve } from "@triphub/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, MIGRATIONS_FOLDER, rebuildReadModels } from "../src/index.js";
import { type CatalogueProperty, readCatalogue } from "../src/seed/catalogue.js";
import { listCompletedStays } from "../src/seed/completed-stays.js";
import type { DemoGuests } from "../src/seed/guests.js";
import { addDays, HISTORY_DAYS, planReviewerStays } from "../src/seed/plan.js";
import { seedStayHistory } from "../src/seed/seed-history.js";
import { completedStay } from "../src/seed/stay-history.js";
import { openRequested, openReservationData } from "../src/store/personal-data.js";

const log = createLogger({ service: "demo-history-test", level: "silent" });
const DAY_MS = 86_400_000;
const ZONES = ["Asia/Seoul", "Asia/Tokyo", "Europe/Paris", "America/New_York"] as const;
const now = new Date();
const today = now.toISOString().slice(0, 10);

let auth: TestAuth;
let guest: StackUser;
let reservation: RunningService;
let database: Database;
let keks: string;
/** Each database's sealer, with the keys the service runs with. */
const sealers = new Map<Database, Sealer>();
const sealerOf = async (db: Database) => {
  if (!sealers.has(db)) sealers.set(db, await openSealer(db.db, { keks: dataKeks.parse(keks), log, now: () => new Date() }));
  return sealers.get(db)!;
};
/** Seeds `db` as the seed command does. */
const seed = async (db: Database, o: { now: Date }) => seedStayHistory(db.sql, { catalogue, guests, seed: 1, now: o.now, sealer: await sealerOf(db) });
let catalogue: CatalogueProperty[];
let guests: DemoGuests;
let draftPropertyId: string;
const extraDatabases: Database[] = [];

/** 40 listed properties in four time zones with 1-3 room types, and one draft nobody can book. */
async function catalogueFixture(): Promise<CatalogueProperty[]> {
  const url = await freshDatabase({ migrationsFolder: ACCOMMODATION_MIGRATIONS, name: "demo_history_accommodation" });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i <= 40; i++) {
      const [p] = await sql<{ id: string }[]>`
        insert into properties (owner_id, name, property_type, address_line1, city, country_code, latitude, longitude,
          check_in_time, check_out_time, time_zone, currency, cancellation_policy, status)
        values (${randomUUID()}, ${`Demo Stay ${i}`}, 'hotel', '1 Main St', 'Seoul', 'KR', 37.5, 127, '15:00', '11:00',
          ${ZONES[i % ZONES.length]}, 'KRW', ${["flexible", "moderate", "strict", "non_refundable"][i % 4]}, ${i === 40 ? "draft" : "listed"})
        returning id`;
      if (i === 40) draftPropertyId = p.id;
      for (let k = 0; k <= i % 3; k++) {
        await sql`insert into room_types (property_id, name, max_adults, max_children, unit_count, base_price_minor, weekend_price_minor, currency)
          values (${p.id}, ${`Room ${k}`}, ${k + 1}, ${k}, ${1 + k}, ${100_000 + k * 20_000}, ${k === 1 ? null : 130_000 + k * 20_000}, 'KRW')`;
      }
    }
    return await readCatalogue(sql);
  } finally {
    await sql.end();
  }
}

const reviewers = Array.from({ length: 150 }, (_, i) => ({ id: randomUUID(), fullName: `Reviewer ${i}`, email: `reviewer-${i}@reviewers.demo.triphub.test` }));

async function openReservationDb(name: string): Promise<Database> {
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name });
  const db = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 });
  extraDatabases.push(db);
  return db;
}

beforeAll(async () => {
  auth = await startAuth({ name: "demo_history" });
  guest = await auth.signUp();
  catalogue = await catalogueFixture();
  guests = { reviewers, demoGuest: { id: guest.userId, fullName: "Demo Guest", email: "guest@demo.triphub.test" } };
  const deps = await serviceDeps(auth, { service: "reservation", migrationsFolder: MIGRATIONS_FOLDER });
  database = deps.database;
  keks = deps.sealingKeys.DATA_KEKS;
  await seed(database, { now });
  // Nothing here calls accommodation or payment: no saga runs for a completed stay.
  reservation = await serve(await buildServer({ ...deps, config: { ...deps.config, ACCOMMODATION_URL: "http://127.0.0.1:9", PAYMENT_URL: "http://127.0.0.1:9" } }));
}, 60_000);

afterAll(async () => {
  await reservation?.close();
  for (const db of extraDatabases) await db.close();
  await auth?.close();
});

const count = async (sql: postgres.Sql, query: string) => Number((await sql.unsafe(query))[0].n);
// `data` as it opens: the guest's contact is sealed with a fresh IV each time it is written.
const readModel = async (db: Database) => {
  const sealer = await sealerOf(db);
  const rows = await db.sql<{ reservation_id: string; data: Uint8Array }[]>`
    select reservation_id, guest_id, host_id, property_id, status, check_in, stay_ends_at, create_time, version, data
    from reservations order by reservation_id`;
  return rows.map((r) => ({ ...r, data: openReservationData(sealer, r.reservation_id, r.data) }));
};

describe("the reviewers' completed stays", () => {
  it("are 0-12 per listed property, most with a few and some with none, checked out over the past 18 months", async () => {
    const stays = (await listCompletedStays(database.sql)).filter((s) => s.guestId !== guest.userId);
    const perProperty = catalogue.map((p) => stays.filter((s) => s.propertyId === p.id).length);
    expect(Math.max(...perProperty)).toBeLessThanOrEqual(12);
    expect(perProperty.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(perProperty.filter((n) => n >= 1 && n <= 4).length).toBeGreaterThan(perProperty.filter((n) => n > 6).length);
    expect(stays.some((s) => s.propertyId === draftPropertyId)).toBe(false);
    for (const s of stays) {
      expect(s.checkOut <= today).toBe(true);
      expect(s.checkOut >= addDays(today, -HISTORY_DAYS - 1)).toBe(true);
      expect(s.completedAt.getTime()).toBeLessThan(now.getTime());
      const property = catalogue.find((p) => p.id === s.propertyId)!;
      expect(s.hostId).toBe(property.hostId);
      expect(property.roomTypes.map((rt) => rt.name)).toContain(s.roomTypeName);
    }
    expect(new Set(stays.map((s) => s.guestId)).size).toBeGreaterThan(50);
  });

  it("are recorded as a real booking's events, COMPLETED in the read model, with no saga work", async () => {
    const sql = database.sql;
    const stays = await count(sql, "select count(*) as n from reservations");
    expect(stays).toBeGreaterThan(50);
    expect(await count(sql, `select count(*) as n from reservations where status <> ${ReservationStatus.COMPLETED}`)).toBe(0);
    expect(await count(sql, "select count(*) as n from saga_work")).toBe(0);
    expect(await count(sql, "select count(*) as n from reservation_requests")).toBe(stays);
    const sequences = await sql<{ types: string }[]>`
      select string_agg(replace(type, 'triphub.reservation.v1.', ''), ',' order by stream_version) as types from events group by stream_id`;
    expect(sequences).toHaveLength(stays);
    expect(new Set(sequences.map((s) => s.types))).toEqual(new Set(["ReservationRequested,RoomsHeld,PaymentAuthorized,ReservationConfirmed,StayCompleted"]));
    // Positions follow the events' times within each stream, as a live service appends them.
    const disordered = await sql`
      select 1 from events a join events b on a.stream_id = b.stream_id and a.stream_version < b.stream_version
      where a.position > b.position or a.occur_time > b.occur_time limit 1`;
    expect(disordered).toHaveLength(0);
  });

  it("are the same for the same seed, catalogue, guests and time", async () => {
    const plan = { seed: 1, now };
    expect(planReviewerStays(catalogue, reviewers, plan).map(completedStay)).toEqual(planReviewerStays(catalogue, reviewers, plan).map(completedStay));
    const other = await openReservationDb("demo_history_again");
    await seed(other, { now });
    expect(await readModel(other)).toEqual(await readModel(database));
    const log = async (db: Database) => {
      const sealer = await sealerOf(db);
      const rows = await db.sql<{ type: string; payload: Uint8Array }[]>`
        select event_id, stream_id, stream_version, type, payload, occur_time from events order by stream_id, stream_version`;
      const opened = (payload: Uint8Array) => toBinary(ReservationRequestedSchema, openRequested(sealer, fromBinary(ReservationRequestedSchema, payload)));
      return rows.map((r) => ({ ...r, payload: r.type === ReservationRequestedSchema.typeName ? opened(r.payload) : r.payload }));
    };
    expect(await log(other)).toEqual(await log(database));
    // Another seed is another history.
    expect(planReviewerStays(catalogue, reviewers, { seed: 2, now }).map((s) => s.reservationId)).not.toEqual(
      planReviewerStays(catalogue, reviewers, plan).map((s) => s.reservationId),
    );
  });

  it("are written once: a second run, even days later, adds nothing", async () => {
    const before = await readModel(database);
    const events = await count(database.sql, "select count(*) as n from events");
    const again = await seed(database, { now });
    expect(again).toMatchObject({ reviewerStaysWritten: 0, demoGuestStaysWritten: 0 });
    const later = await seed(database, { now: new Date(now.getTime() + 5 * DAY_MS) });
    expect(later).toMatchObject({ reviewerStaysWritten: 0, demoGuestStaysWritten: 0 });
    expect(await readModel(database)).toEqual(before);
    expect(await count(database.sql, "select count(*) as n from events")).toBe(events);
  });

  it("are reproduced exactly by rebuilding the read models from the events", async () => {
    const before = await readModel(database);
    await database.sql`delete from reservations`;
    const replayed = await rebuildReadModels(database.db as EventDb, await sealerOf(database));
    expect(replayed).toBe(before.length * 5);
    expect(await readModel(database)).toEqual(before);
    expect(await count(database.sql, "select count(*) as n from saga_work")).toBe(0);
  });
});

describe("the demo guest's stays", () => {
  it("are three, at different properties, checked out 2-10 days ago: still reviewable", async () => {
    const stays = await listCompletedStays(database.sql, { guestId: guest.userId });
    expect(stays).toHaveLength(3);
    expect(new Set(stays.map((s) => s.propertyId)).size).toBe(3);
    for (const s of stays) {
      const daysAgo = (now.getTime() - s.completedAt.getTime()) / DAY_MS;
      expect(daysAgo).toBeGreaterThan(2);
      expect(daysAgo).toBeLessThan(10);
    }
  });

  it("are shown to the guest by the real service, and to nobody else", async () => {
    const api = clientAs(reservation, ReservationService, guest);
    const { reservations } = await api.listReservations({ statuses: [ReservationStatus.COMPLETED] });
    expect(reservations).toHaveLength(3);
    const [first] = reservations;
    const { reservation: got } = await api.getReservation({ reservationId: first.reservationId });
    expect(got).toMatchObject({ status: ReservationStatus.COMPLETED, guestId: guest.userId, contact: { fullName: "Demo Guest" } });
    expect(got?.price?.total?.amountMinor).toBeGreaterThan(0n);
    const history = await api.getReservationHistory({ reservationId: first.reservationId });
    expect(history.events.map((e) => e.type.replace("triphub.reservation.v1.", ""))).toEqual([
      "ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationConfirmed", "StayCompleted",
    ]);
    const stranger = clientAs(reservation, ReservationService, await auth.signUp());
    const err = await rejectionOf(stranger.getReservation({ reservationId: first.reservationId }), ConnectError);
    expect(err.code).toBe(Code.NotFound);
    // A completed stay cannot be cancelled any more.
    const cancel = await rejectionOf(api.cancelReservation({ reservationId: first.reservationId, reason: 1 }), ConnectError);
    expect(cancel.code).toBe(Code.FailedPrecondition);
  });

  it("get a fresh one when the newest checked out more than 20 days ago, once", async () => {
    const db = await openReservationDb("demo_history_old");
    await seed(db, { now: new Date(now.getTime() - 40 * DAY_MS) });
    expect(await listCompletedStays(db.sql, { guestId: guest.userId })).toHaveLength(3);
    const started = await seed(db, { now });
    expect(started).toMatchObject({ reviewerStaysWritten: expect.any(Number), demoGuestStaysWritten: 1 });
    const stays = await listCompletedStays(db.sql, { guestId: guest.userId });
    expect(stays).toHaveLength(4);
    const newest = stays.reduce((a, b) => (a.completedAt > b.completedAt ? a : b));
    expect((now.getTime() - newest.completedAt.getTime()) / DAY_MS).toBeLessThan(4);
    expect(newest.completedAt.getTime()).toBeLessThan(now.getTime());
    expect((await seed(db, { now })).demoGuestStaysWritten).toBe(0);
  });
});
