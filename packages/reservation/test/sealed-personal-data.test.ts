// The guest's personal data at rest: a booking through the real saga leaves no contact and no
// card token in clear in any of reservation's tables, the guest still reads their contact, a
// tampered or moved value is refused without harm to the rest, and the re-encrypt job moves
// every record onto a new data key (and seals records stored before sealing began).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { type Reservation, ReservationSchema, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { createLogger, createReencryptJob, type Sealer, SealedValueError } from "@triphub/platform";
import { rejectionOf } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReservationDb } from "../src/store/db.js";
import { openRequested, openReservationData } from "../src/store/personal-data.js";
import { createReservationStore } from "../src/store/reservation-store.js";
import { resealSteps } from "../src/store/reseal.js";
import { type BookingPlatform, bookingRequest, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let guest: User;
let host: User;
let rt: { propertyId: string; roomTypeId: string };
let db: ReservationDb;
let sealer: Sealer;

const REQUESTED = ReservationRequestedSchema.typeName;
const people = [
  { fullName: "Seo Yeonwoo", email: "yeonwoo.seo@sealed.example", phone: "+821098765432" },
  { fullName: "Ines Oyelaran", email: "ines.oyelaran@sealed.example", phone: "+33698765432" },
];
// Free text a guest may fill with anything, health included.
const REQUESTS = ["Severe peanut allergy, please tell the kitchen", "Arriving by wheelchair after midnight"];
const TOKEN = "tok_visa";

beforeAll(async () => {
  p = await startBookingPlatform("reservation_sealed");
  [host, guest] = await Promise.all([p.host(), p.guest()]);
  rt = await listedRoomType(host, { units: 5 });
  db = p.reservationDb!.db as ReservationDb;
  sealer = await p.reservationSealer();
}, 60_000);
afterAll(() => p?.close());

async function book(contact: (typeof people)[number], checkIn: string, checkOut: string): Promise<Reservation> {
  const specialRequests = REQUESTS[people.indexOf(contact)]!;
  const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn, checkOut, contact, specialRequests, paymentMethodToken: TOKEN }));
  return settled(guest, reservation!);
}

/** Every stored byte of every row of every table of reservation's database, as text (bytea as its bytes, not hex). */
async function everyTable(): Promise<string> {
  const tables = await db.execute<{ name: string }>(sql`select table_name as name from information_schema.tables where table_schema = 'public'`);
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["events", "reservations", "reservation_requests", "data_keys"]));
  const text: string[] = [];
  for (const { name } of tables) {
    for (const row of await db.execute<Record<string, unknown>>(sql`select * from ${sql.identifier(name)}`)) {
      for (const v of Object.values(row)) text.push(v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : JSON.stringify(v));
    }
  }
  return text.join("\n").toLowerCase();
}

const clearValues = (c: (typeof people)[number]) => [
  c.fullName.toLowerCase(),
  c.email,
  c.email.split("@")[0]!,
  c.phone.slice(1),
  TOKEN,
  ...REQUESTS[people.indexOf(c)]!.split(/[ ,]+/).filter((w) => w.length > 6),
];

/** A copy of `s` with one character of its ciphertext changed (not the last: its low bits may be padding). */
function tampered(s: string): string {
  const at = s.lastIndexOf(".") + 3;
  return s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);
}

const readRow = async (id: string) => (await db.execute<{ data: Uint8Array }>(sql`select data from reservations where reservation_id = ${id}`))[0]!.data;
const writeRow = (id: string, data: Uint8Array) => db.execute(sql`update reservations set data = ${Buffer.from(data)} where reservation_id = ${id}`);
const readRequested = async (id: string) =>
  (await db.execute<{ payload: Uint8Array }>(sql`select payload from events where stream_id = ${id} and type = ${REQUESTED}`))[0]!.payload;
const writeRequested = (id: string, payload: Uint8Array) =>
  db.execute(sql`update events set payload = ${Buffer.from(payload)} where stream_id = ${id} and type = ${REQUESTED}`);

describe("the guest's contact and card token at rest", () => {
  let first: Reservation;
  let second: Reservation;

  it("are in no table in clear after a booking through the saga, yet the guest reads their contact", async () => {
    first = await book(people[0]!, "2027-03-01", "2027-03-03");
    second = await book(people[1]!, "2027-03-05", "2027-03-06");
    expect([first.status, second.status]).toEqual([ReservationStatus.CONFIRMED, ReservationStatus.CONFIRMED]);
    const stored = await everyTable();
    expect(stored).toContain(first.reservationId);
    for (const c of people) for (const v of clearValues(c)) expect(stored).not.toContain(v.toLowerCase());

    const { reservation } = await guest.reservations.getReservation({ reservationId: first.reservationId });
    expect(reservation?.contact).toMatchObject(people[0]!);
    expect(reservation?.specialRequests).toBe(REQUESTS[0]);
    const { reservations } = await guest.reservations.listReservations({});
    expect(reservations.find((r) => r.reservationId === second.reservationId)?.contact).toMatchObject(people[1]!);
    // The host of the stay reads it too; the card token is shown to no one.
    const hosting = await host.reservations.getReservation({ reservationId: second.reservationId });
    expect(hosting.reservation?.contact).toMatchObject(people[1]!);
    expect(hosting.reservation?.specialRequests).toBe(REQUESTS[1]);
    const history = await guest.reservations.getReservationHistory({ reservationId: first.reservationId });
    const requested = fromBinary(ReservationRequestedSchema, history.events[0]!.payload!.value);
    expect(requested.contact).toMatchObject(people[0]!);
    expect(requested.specialRequests).toBe(REQUESTS[0]);
    expect(requested.paymentMethodToken).toBe("");
  });

  it("refuses a tampered value or one moved from another reservation, clearly, and serves the others", async () => {
    const saved = await readRow(first.reservationId);
    const row = fromBinary(ReservationSchema, saved);
    const altered = toBinary(ReservationSchema, { ...row, contact: { ...row.contact!, email: tampered(row.contact!.email) } });
    await writeRow(first.reservationId, altered);
    const get = (r: Reservation) => guest.reservations.getReservation({ reservationId: r.reservationId });
    expect((await rejectionOf(get(first), ConnectError)).code).toBe(Code.Internal);
    // What the service logs with the INTERNAL error names the record and the field.
    expect(() => openReservationData(sealer, first.reservationId, altered)).toThrow(SealedValueError);
    expect(() => openReservationData(sealer, first.reservationId, altered)).toThrow(`reservations.data.contact.email of ${first.reservationId} does not open`);
    expect((await get(second)).reservation?.contact).toMatchObject(people[1]!);

    // The other reservation's sealed contact, copied over: bound to its own row, it does not open here.
    await writeRow(first.reservationId, toBinary(ReservationSchema, { ...row, contact: fromBinary(ReservationSchema, await readRow(second.reservationId)).contact }));
    expect((await rejectionOf(get(first), ConnectError)).code).toBe(Code.Internal);
    // A value in clear beside sealed ones was put there: refused too.
    await writeRow(first.reservationId, toBinary(ReservationSchema, { ...row, contact: { ...row.contact!, phone: "+10000000000" } }));
    expect((await rejectionOf(get(first), ConnectError)).code).toBe(Code.Internal);
    // Special requests: sealed and tampered, refused; in clear beside a sealed contact (stored
    // before special requests were sealed), read as they are.
    await writeRow(first.reservationId, toBinary(ReservationSchema, { ...row, specialRequests: tampered(row.specialRequests) }));
    expect((await rejectionOf(get(first), ConnectError)).code).toBe(Code.Internal);
    await writeRow(first.reservationId, toBinary(ReservationSchema, { ...row, specialRequests: "Late check-in" }));
    expect((await get(first)).reservation).toMatchObject({ contact: people[0], specialRequests: "Late check-in" });
    await writeRow(first.reservationId, saved);
    expect((await get(first)).reservation?.contact).toMatchObject(people[0]!);

    // The card token in the event: the saga's state does not load, the history is refused.
    const event = await readRequested(first.reservationId);
    const m = fromBinary(ReservationRequestedSchema, event);
    await writeRequested(first.reservationId, toBinary(ReservationRequestedSchema, { ...m, paymentMethodToken: tampered(m.paymentMethodToken) }));
    const history = guest.reservations.getReservationHistory({ reservationId: first.reservationId });
    expect((await rejectionOf(history, ConnectError)).code).toBe(Code.Internal);
    const store = createReservationStore(db, sealer);
    await expect(store.load(first.reservationId)).rejects.toThrow(/ReservationRequested\.payment_method_token of .* does not open/);
    await writeRequested(first.reservationId, event);
    expect((await store.load(first.reservationId))?.saga.paymentMethodToken).toBe(TOKEN);
    expect((await get(second)).reservation?.status).toBe(ReservationStatus.CONFIRMED);
  });

  it("reads records stored in clear before sealing began, and the re-encrypt job seals them", async () => {
    // The second booking as it was stored before this change: its contact and token in clear.
    const row = openReservationData(sealer, second.reservationId, await readRow(second.reservationId));
    await writeRow(second.reservationId, toBinary(ReservationSchema, row));
    const event = openRequested(sealer, fromBinary(ReservationRequestedSchema, await readRequested(second.reservationId)));
    await writeRequested(second.reservationId, toBinary(ReservationRequestedSchema, event));
    expect(await everyTable()).toContain(people[1]!.email);
    expect((await guest.reservations.getReservation({ reservationId: second.reservationId })).reservation?.contact).toMatchObject(people[1]!);

    const job = createReencryptJob({ sealer, steps: resealSteps(db, sealer), log: createLogger({ service: "t", level: "silent" }), now: () => new Date() });
    expect(await job.runOnce()).toBe(2);
    const stored = await everyTable();
    for (const v of clearValues(people[1]!)) expect(stored).not.toContain(v.toLowerCase());
    expect((await guest.reservations.getReservation({ reservationId: second.reservationId })).reservation?.contact).toMatchObject(people[1]!);
    expect((await createReservationStore(db, sealer).load(second.reservationId))?.saga.paymentMethodToken).toBe(TOKEN);
    expect(await job.runOnce()).toBe(0);
  });

  it("moves every event and row onto a new data key with the re-encrypt job", async () => {
    const old = sealer.currentKeyId();
    const fresh = await sealer.rotateDataKey();
    // As if the activation delay had passed: a sealer loaded after it seals with the new key.
    await db.execute(sql`update data_keys set created_at = created_at - interval '1 hour' where id = ${fresh}`);
    await sealer.refresh();
    expect(sealer.currentKeyId()).toBe(fresh);
    const job = createReencryptJob({ sealer, steps: resealSteps(db, sealer), log: createLogger({ service: "t", level: "silent" }), now: () => new Date(), batchSize: 1 });
    const rows = await db.execute<{ n: number }>(sql`select (select count(*) from reservations)::int + (select count(*) from events where type = ${REQUESTED})::int as n`);
    expect(await job.runOnce()).toBe(rows[0]!.n);
    const payloads = [
      ...(await db.execute<{ b: Uint8Array }>(sql`select payload as b from events where type = ${REQUESTED}`)),
      ...(await db.execute<{ b: Uint8Array }>(sql`select data as b from reservations`)),
    ].map((r) => Buffer.from(r.b).toString("latin1"));
    for (const b of payloads) {
      expect(b).toContain(`v1.${fresh}.`);
      expect(b).not.toContain(`v1.${old}.`);
    }
    expect(await job.runOnce()).toBe(0);
    // What they say is unchanged: the same contact and token open from them.
    const store = createReservationStore(db, sealer);
    expect((await store.get(first.reservationId))?.contact).toMatchObject(people[0]!);
    expect((await store.load(first.reservationId))?.saga.paymentMethodToken).toBe(TOKEN);
    expect(Buffer.from(await readRow(first.reservationId)).toString("latin1")).not.toContain(people[0]!.email);
  });
});
