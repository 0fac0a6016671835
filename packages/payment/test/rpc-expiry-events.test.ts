// The authorization expirer on a moved clock, the events StreamEvents publishes, and the read
// model rebuilt from the log.
import { randomUUID } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import { PaymentAuthorizedSchema } from "@triphub/contracts/triphub/payment/v1/events_pb";
import { PaymentStatus, RefundReason, VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PaymentDb } from "../src/store/db.js";
import { createPaymentStore } from "../src/store/payment-store.js";
import { authorizeRequest, krw, type Platform, startPlatform } from "./rpc-harness.js";

const HOUR = 3_600_000;
let p: Platform;
beforeAll(async () => {
  // A short validity and a quick expirer, so moving the clock past the validity is observable soon.
  p = await startPlatform("payment_rpc_expiry_events", { authorizationValidityMs: 2 * HOUR, expiryIntervalMs: 50 });
});
afterAll(() => p?.close());

async function statusOf(paymentId: string) {
  return (await p.internal.getPayment({ paymentId })).payment?.status;
}

async function eventuallyStatus(paymentId: string, status: PaymentStatus) {
  for (let i = 0; i < 200 && (await statusOf(paymentId)) !== status; i++) await new Promise((r) => setTimeout(r, 25));
  return statusOf(paymentId);
}

async function allEvents(types: string[] = []) {
  const out = [];
  for await (const res of p.internal.streamEvents({ stopAtHead: true, types })) out.push(...res.events);
  return out;
}

describe("the authorization expirer", () => {
  it("expires and voids authorizations past the configured validity, and leaves captured and younger ones", async () => {
    const old = (await p.internal.authorizePayment(authorizeRequest(randomUUID()))).payment!;
    const captured = (await p.internal.authorizePayment(authorizeRequest(randomUUID()))).payment!;
    await p.internal.capturePayment({ paymentId: captured.paymentId });
    expect(Number(old.authorizationExpireTime!.seconds) * 1000 - p.clock.now().getTime()).toBeLessThanOrEqual(2 * HOUR);
    p.clock.advance(HOUR);
    const young = (await p.internal.authorizePayment(authorizeRequest(randomUUID()))).payment!;
    const voids = p.calls.void;
    p.clock.advance(HOUR + 1);
    expect(await eventuallyStatus(old.paymentId, PaymentStatus.EXPIRED)).toBe(PaymentStatus.EXPIRED);
    expect(p.calls.void - voids).toBe(1);
    expect(await statusOf(young.paymentId)).toBe(PaymentStatus.AUTHORIZED);
    expect(await statusOf(captured.paymentId)).toBe(PaymentStatus.CAPTURED);
    p.clock.advance(HOUR);
    expect(await eventuallyStatus(young.paymentId, PaymentStatus.EXPIRED)).toBe(PaymentStatus.EXPIRED);
    const expired = await allEvents(["triphub.payment.v1.AuthorizationExpired"]);
    expect(expired.map((e) => e.streamId).sort()).toEqual([old.paymentId, young.paymentId].sort());
  });
});

describe("StreamEvents", () => {
  it("publishes each payment's events in order, each carrying the payment after it", async () => {
    const req = authorizeRequest(randomUUID());
    const { paymentId } = (await p.internal.authorizePayment(req)).payment!;
    await p.internal.capturePayment({ paymentId });
    await p.internal.refundPayment({ paymentId, amount: krw(10_000n), reason: RefundReason.GOODWILL, idempotencyKey: "r1" });
    const voided = (await p.internal.authorizePayment(authorizeRequest(randomUUID()))).payment!;
    await p.internal.voidPayment({ paymentId: voided.paymentId, reason: VoidReason.RESERVATION_FAILED });
    const events = await allEvents();
    expect(events.filter((e) => e.streamId === paymentId).map((e) => [e.type, e.streamVersion, e.streamType])).toEqual([
      ["triphub.payment.v1.PaymentAuthorized", 1n, "payment"],
      ["triphub.payment.v1.PaymentCaptured", 2n, "payment"],
      ["triphub.payment.v1.RefundRequested", 3n, "payment"],
      ["triphub.payment.v1.PaymentRefunded", 4n, "payment"],
    ]);
    expect(events.filter((e) => e.streamId === voided.paymentId).map((e) => e.type)).toEqual([
      "triphub.payment.v1.PaymentAuthorized",
      "triphub.payment.v1.PaymentVoided",
    ]);
    const positions = events.map((e) => e.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    const authorized = events.find((e) => e.streamId === paymentId)!;
    expect(fromBinary(PaymentAuthorizedSchema, authorized.payload!.value).payment).toMatchObject({
      paymentId,
      reservationId: req.reservationId,
      status: PaymentStatus.AUTHORIZED,
    });
  });

  it("follows new events as they are committed", async () => {
    const { paymentId } = (await p.internal.authorizePayment(authorizeRequest(randomUUID()))).payment!;
    const head = (await allEvents()).at(-1)!.position;
    const abort = new AbortController();
    const next = (async () => {
      for await (const res of p.internal.streamEvents({ afterPosition: head }, { signal: abort.signal })) {
        if (res.events.length > 0) return res.events[0];
      }
    })();
    await p.internal.capturePayment({ paymentId });
    const event = await next;
    abort.abort();
    expect(event).toMatchObject({ streamId: paymentId, type: "triphub.payment.v1.PaymentCaptured" });
  });
});

describe("the payments read model", () => {
  it("rebuilt from the log equals the one kept live", async () => {
    const db = p.database.db as PaymentDb;
    const snapshot = () =>
      db.execute(sql`select payment_id, reservation_id, payer_id, status, created_at, authorization_expires_at, version, encode(snapshot, 'hex') as snapshot
        from payments order by payment_id`);
    // Some of every kind of history: declined, refunded in parts, a failed refund.
    await p.internal.authorizePayment(authorizeRequest(randomUUID(), "tok_fraudulent"));
    const failing = (await p.internal.authorizePayment(authorizeRequest(randomUUID(), "tok_refundFails"))).payment!;
    await p.internal.capturePayment({ paymentId: failing.paymentId, amount: krw(100_000n) });
    await p.internal.refundPayment({ paymentId: failing.paymentId, amount: krw(5_000n), reason: RefundReason.DUPLICATE, idempotencyKey: "x" });
    // The expirer (every 50 ms here) is a writer too: let it finish what is due, so nothing
    // changes between the snapshot and the replay.
    for (let i = 0; i < 200; i++) {
      const [due] = await db.execute<{ n: number }>(sql`select count(*)::int as n from payments
        where status = 'authorized' and authorization_expires_at <= ${p.clock.now().toISOString()}::timestamptz`);
      if (due?.n === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const live = await snapshot();
    expect(live.length).toBeGreaterThan(5);
    const replayed = await createPaymentStore(db).rebuildReadModel();
    expect(replayed).toBeGreaterThan(live.length);
    expect(await snapshot()).toEqual(live);
  });
});
