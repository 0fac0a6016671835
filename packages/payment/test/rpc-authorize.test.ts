// AuthorizePayment over real gRPC as the reservation service calls it: the sandbox tokens,
// idempotency on the key, and what is (not) recorded.
import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { CardBrand, DeclineCode, PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PaymentDb } from "../src/store/db.js";
import { authorizeRequest, krw, type Platform, rpcError, startPlatform } from "./rpc-harness.js";

let p: Platform;
let payer: string;
beforeAll(async () => {
  // Each provider call takes a while, so concurrent duplicates really overlap it.
  p = await startPlatform("payment_rpc_authorize", { providerDelayMs: 30 });
  payer = randomUUID();
});
afterAll(() => p?.close());

const db = () => p.database.db as PaymentDb;

describe("AuthorizePayment", () => {
  it.each([
    ["tok_visa", CardBrand.VISA, "4242"],
    ["tok_mastercard", CardBrand.MASTERCARD, "4444"],
    ["tok_amex", CardBrand.AMEX, "8431"],
    ["tok_jcb", CardBrand.JCB, "0505"],
    ["tok_captureFails", CardBrand.VISA, "4242"],
    ["tok_refundFails", CardBrand.VISA, "4242"],
  ])("authorizes %s, keeping only the card's brand, last four digits and expiry", async (token, brand, last4) => {
    const req = authorizeRequest(payer, token);
    const { payment } = await p.internal.authorizePayment(req);
    expect(payment).toMatchObject({
      reservationId: req.reservationId,
      payerId: payer,
      idempotencyKey: req.reservationId,
      status: PaymentStatus.AUTHORIZED,
      amount: krw(150_000n),
      capturedAmount: krw(0n),
      paymentMethod: { brand, last4, expMonth: 12, expYear: 2034 },
      description: "Bukchon Hanok Stay",
    });
    expect(payment?.providerReference).toMatch(/^sbx_/);
    // The default validity: 7 days from the (test) clock.
    expect(Number(payment?.authorizationExpireTime?.seconds) * 1000).toBe(p.clock.now().getTime() - (p.clock.now().getTime() % 1000) + 7 * 86_400_000);
  });

  it.each([
    ["tok_chargeDeclined", DeclineCode.GENERIC_DECLINE],
    ["tok_insufficientFunds", DeclineCode.INSUFFICIENT_FUNDS],
    ["tok_expiredCard", DeclineCode.EXPIRED_CARD],
    ["tok_fraudulent", DeclineCode.FRAUD_SUSPECTED],
    ["tok_somethingElse", DeclineCode.INVALID_PAYMENT_METHOD],
  ])("answers %s with a DECLINED payment, not an error", async (token, code) => {
    const { payment } = await p.internal.authorizePayment(authorizeRequest(payer, token));
    expect(payment).toMatchObject({ status: PaymentStatus.DECLINED, declineCode: code, providerReference: "" });
    expect(payment?.failureMessage).not.toBe("");
    expect(payment?.paymentMethod).toBeUndefined();
  });

  it("answers a provider outage UNAVAILABLE and records nothing, so a retry under the key asks again", async () => {
    const req = authorizeRequest(payer, "tok_providerUnavailable");
    const before = p.calls.authorize;
    expect((await rpcError(p.internal.authorizePayment(req))).code).toBe(Code.Unavailable);
    expect((await rpcError(p.internal.authorizePayment(req))).code).toBe(Code.Unavailable);
    expect(p.calls.authorize - before).toBe(2);
    expect((await p.internal.listPayments({ reservationId: req.reservationId })).payments).toEqual([]);
    // The key is free: the same key with a working card now authorizes.
    const { payment } = await p.internal.authorizePayment({ ...req, paymentMethodToken: "tok_visa" });
    expect(payment?.status).toBe(PaymentStatus.AUTHORIZED);
  });

  it("returns the same payment for the same key and request, whatever its outcome, without asking the provider again", async () => {
    for (const token of ["tok_visa", "tok_insufficientFunds"]) {
      const req = authorizeRequest(payer, token);
      const first = await p.internal.authorizePayment(req);
      const calls = p.calls.authorize;
      const again = await p.internal.authorizePayment(req);
      expect(again.payment).toEqual(first.payment);
      expect(p.calls.authorize).toBe(calls);
    }
  });

  it("uses an explicit idempotency key instead of the reservation id, so a reservation can be authorized again", async () => {
    const req = authorizeRequest(payer);
    const first = await p.internal.authorizePayment(req);
    p.clock.advance(1000);
    const second = await p.internal.authorizePayment({ ...req, idempotencyKey: `${req.reservationId}:retry-1` });
    expect(second.payment?.paymentId).not.toBe(first.payment?.paymentId);
    expect(second.payment?.idempotencyKey).toBe(`${req.reservationId}:retry-1`);
    const listed = await p.internal.listPayments({ reservationId: req.reservationId });
    expect(listed.payments.map((x) => x.paymentId)).toEqual([first.payment?.paymentId, second.payment?.paymentId]);
  });

  it.each([
    ["amount", { amount: krw(150_001n) }],
    ["token", { paymentMethodToken: "tok_mastercard" }],
    ["reservation", { reservationId: randomUUID() }],
    ["payer", { payerId: randomUUID() }],
  ])("refuses the same key with another %s: ALREADY_EXISTS", async (_what, change) => {
    const req = { ...authorizeRequest(payer), idempotencyKey: `key-${randomUUID()}` };
    await p.internal.authorizePayment(req);
    const err = await rpcError(p.internal.authorizePayment({ ...req, ...change }));
    expect(err.code).toBe(Code.AlreadyExists);
  });

  it("makes exactly one payment and one provider call of 100 concurrent identical calls", async () => {
    const req = authorizeRequest(payer);
    const before = p.calls.authorize;
    const results = await Promise.all(Array.from({ length: 100 }, () => p.internal.authorizePayment(req)));
    expect(new Set(results.map((r) => r.payment?.paymentId)).size).toBe(1);
    expect(p.calls.authorize - before).toBe(1);
    expect((await p.internal.listPayments({ reservationId: req.reservationId })).payments).toHaveLength(1);
  });

  it("keeps no card token anywhere: only its SHA-256 in the key table, nothing in events or read models", async () => {
    const token = `tok_visa_${randomUUID().replaceAll("-", "")}`;
    await p.internal.authorizePayment(authorizeRequest(payer, token));
    const [found] = await db().execute<{ n: number }>(sql`
      select (select count(*) from events where position(convert_to(${token}, 'UTF8') in payload) > 0)
           + (select count(*) from payments where position(convert_to(${token}, 'UTF8') in snapshot) > 0)
           + (select count(*) from authorization_keys where token_sha256 like ${`%${token}%`} or idempotency_key like ${`%${token}%`})
        as n`);
    expect(Number(found?.n)).toBe(0);
  });
});
