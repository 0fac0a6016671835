// With tracing on, a saga the resumer picks up again (here: its release, waiting for
// accommodation to come back) runs its steps in one trace of its own, linked to the span that
// last wrote to the reservation, which is in the trace of the booking's request.
import { ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { startTracing, type Tracing } from "@triphub/platform";
import { eventually, type OtlpReceiver, startOtlpReceiver } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingPlatform, bookingRequest, listedRoomType, startBookingPlatform } from "./booking-platform.js";

let receiver: OtlpReceiver;
let tracing: Tracing | undefined;
let p: BookingPlatform;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Before the services are built: the chassis decides then whether to trace.
  tracing = startTracing({ service: "reservation", env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" } });
  p = await startBookingPlatform("saga_resume_trace", { deadlineSeconds: 2, createWaitMs: 0, sagaTimings: { resumeEveryMs: 200 } });
}, 60_000);
afterAll(async () => {
  await p?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

describe("a resumed saga's trace", () => {
  it("holds the resumed steps under one span, linked back to the booking's trace", { timeout: 60_000 }, async () => {
    const [host, guest] = await Promise.all([p.host(), p.guest()]);
    const rt = await listedRoomType(host);
    await p.stopAccommodation();
    let reservationId = "";
    const spans = () => receiver.spans();
    const request = () => spans().find((s) => s.name.endsWith("ReservationService/CreateReservation") && s.kind === 2);
    const resumes = () => spans().filter((s) => s.name === "saga resume" && s.attributes["triphub.reservation.id"] === reservationId);
    try {
      const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn: "2027-05-01", checkOut: "2027-05-02" }));
      reservationId = reservation!.reservationId;
      await eventually(async () => {
        const { reservation: now } = await guest.reservations.getReservation({ reservationId });
        expect(now?.status).toBe(ReservationStatus.FAILED);
      }, 20_000);
      // The request's own drive gives up on the release after a few tries; the resumer takes
      // it from there (and keeps failing until accommodation is back).
      await eventually(async () => {
        await tracing?.flush();
        expect(resumes().length).toBeGreaterThan(0);
      }, 30_000);
    } finally {
      await p.startAccommodation();
    }
    await eventually(async () => {
      await tracing?.flush();
      const resume = resumes().find((r) => spans().some((s) => s.parentSpanId === r.spanId && s.name === "saga release"));
      expect(resume, "a resume span holding the release").toBeDefined();
      expect(resume!.parentSpanId).toBe("");
      expect(resume!.links.map((l) => l.traceId)).toEqual([request()!.traceId]);
    }, 30_000);
  });
});
