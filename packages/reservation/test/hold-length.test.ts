// The length of a booking's hold on the rooms comes from reservation's live settings
// (`hold_ttl_seconds`), read at each booking: here from the configuration the service kept
// on disk, as it starts when the config server is down.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { RoomsHeldSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { createConfigCache, createLogger, type LiveConfig, startLiveConfig } from "@triphub/platform";
import { freePort } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingPlatform, bookingRequest, listedRoomType, settled, startBookingPlatform } from "./booking-platform.js";

let p: BookingPlatform;
let live: LiveConfig;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "hold-length-"));
  await createConfigCache(dir, "reservation", "dev").write({ service: "reservation", environment: "dev", version: 3, values: { hold_ttl_seconds: "120" } });
  live = await startLiveConfig({
    service: "reservation",
    environment: "dev",
    url: `http://127.0.0.1:${await freePort()}`,
    cacheDir: dir,
    log: createLogger({ service: "reservation", level: "silent" }),
  });
  p = await startBookingPlatform("reservation_hold_length", { liveConfig: live });
}, 60_000);
afterAll(async () => {
  await p?.close();
  await live?.close();
});

describe("a booking's hold", () => {
  it("lasts as long as the service's settings say, not accommodation's default of 15 minutes", async () => {
    expect([live.source(), live.version()]).toEqual(["cache", 3]);
    const [host, guest] = await Promise.all([p.host(), p.guest()]);
    const rt = await listedRoomType(host);
    const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn: "2027-04-01", checkOut: "2027-04-03" }));
    expect((await settled(guest, reservation!)).status).toBe(ReservationStatus.CONFIRMED);
    const { events } = await guest.reservations.getReservationHistory({ reservationId: reservation!.reservationId });
    const held = events.find((e) => e.type === RoomsHeldSchema.typeName)!;
    const expiry = timestampMs(fromBinary(RoomsHeldSchema, held.payload!.value).holdExpireTime!);
    // The hold is made by accommodation a moment before reservation records it.
    const lasts = expiry - timestampMs(held.occurTime!);
    expect(Math.abs(lasts - 120_000)).toBeLessThan(5_000);
  });
});
