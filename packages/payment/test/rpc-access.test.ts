// Who may call what: money moves only for the reservation service; a payment is read by its
// payer, ADMIN and other services, and is NOT_FOUND to everyone else.
import { randomUUID } from "node:crypto";
import { type Client, Code } from "@connectrpc/connect";
import { RefundReason, VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeRequest, krw, type Platform, rpcError, startPlatform, type TestUser } from "./rpc-harness.js";

let p: Platform;
let payer: TestUser;
let other: TestUser;
let paymentId: string;
let reservationId: string;
beforeAll(async () => {
  p = await startPlatform("payment_rpc_access");
  payer = await p.user();
  other = await p.user();
  const req = authorizeRequest(payer.userId);
  reservationId = req.reservationId;
  paymentId = (await p.internal.authorizePayment(req)).payment!.paymentId;
});
afterAll(() => p?.close());

type Api = Client<typeof PaymentService>;
const moneyCalls: [string, (api: Api) => Promise<unknown>][] = [
  ["AuthorizePayment", (api) => api.authorizePayment(authorizeRequest(payer.userId))],
  ["CapturePayment", (api) => api.capturePayment({ paymentId })],
  ["VoidPayment", (api) => api.voidPayment({ paymentId, reason: VoidReason.ADMIN })],
  ["RefundPayment", (api) => api.refundPayment({ paymentId, amount: krw(1n), reason: RefundReason.GOODWILL, idempotencyKey: "k" })],
  ["StreamEvents", async (api) => {
    for await (const _ of api.streamEvents({ stopAtHead: true })) break;
  }],
];

describe.each(moneyCalls)("%s", (name, call) => {
  it("refuses end users, the payer and an admin included, and services not on its list", async () => {
    for (const api of [payer.api, other.api, p.admin.api, p.asService("review"), p.asService("gateway")]) {
      const err = await rpcError(call(api));
      expect(err.code).toBe(Code.PermissionDenied);
      expect(err.rawMessage).toContain(`${name} is internal`);
    }
  });
});

describe("GetPayment", () => {
  it("shows a payment to its payer, an admin and another service", async () => {
    for (const api of [payer.api, p.admin.api, p.internal, p.asService("review")]) {
      expect((await api.getPayment({ paymentId })).payment?.paymentId).toBe(paymentId);
    }
  });

  it("answers another user NOT_FOUND, as for a payment that does not exist", async () => {
    expect((await rpcError(other.api.getPayment({ paymentId }))).code).toBe(Code.NotFound);
    expect((await rpcError(payer.api.getPayment({ paymentId: randomUUID() }))).code).toBe(Code.NotFound);
  });

  it("counts the gateway's identity as the user it calls for, not as a service that sees everything", async () => {
    expect((await rpcError(p.asService("gateway").getPayment({ paymentId }))).code).toBe(Code.Unauthenticated);
  });
});

describe("ListPayments", () => {
  it("lists a reservation's payments to its payer, an admin and services, and none to another user", async () => {
    for (const api of [payer.api, p.admin.api, p.internal]) {
      expect((await api.listPayments({ reservationId })).payments.map((x) => x.paymentId)).toEqual([paymentId]);
    }
    expect((await other.api.listPayments({ reservationId })).payments).toEqual([]);
  });

  it("pages oldest first", async () => {
    const req = authorizeRequest(payer.userId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      p.clock.advance(1000);
      ids.push((await p.internal.authorizePayment({ ...req, idempotencyKey: `page-${i}-${req.reservationId}` })).payment!.paymentId);
    }
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await payer.api.listPayments({ reservationId: req.reservationId, pageSize: 2, pageToken });
      seen.push(...page.payments.map((x) => x.paymentId));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(ids);
    expect((await rpcError(payer.api.listPayments({ reservationId, pageToken: "bm90LWEtdG9rZW4" }))).code).toBe(Code.InvalidArgument);
  });
});
