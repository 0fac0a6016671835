import { describe, expect, it } from "vitest";
import { DomainError } from "@triphub/platform/domain-error";
import type { DeclineCode } from "../src/domain/payment.js";
import type { PaymentProvider } from "../src/domain/provider.js";
import { createSandboxProvider } from "../src/domain/sandbox-provider.js";
import { krw } from "./domain-fixtures.js";

const sandbox = (): PaymentProvider => {
  let n = 0;
  return createSandboxProvider(() => `id${++n}`);
};
const amount = krw(100_000n);

/** The reference of an approved authorization under `token`. */
async function referenceOf(provider: PaymentProvider, token: string): Promise<string> {
  const r = await provider.authorize(token, amount);
  if (r.outcome !== "approved") throw new Error(`${token} was not approved`);
  return r.reference;
}

describe("sandbox provider", () => {
  it.each([
    ["tok_visa", "visa", "4242"],
    ["tok_mastercard", "mastercard", "4444"],
    ["tok_amex", "amex", "8431"],
    ["tok_jcb", "jcb", "0505"],
    ["tok_captureFails", "visa", "4242"],
    ["tok_refundFails", "visa", "4242"],
  ])("approves %s as a %s card ending %s, giving out nothing more of it", async (token, brand, last4) => {
    const r = await sandbox().authorize(token, amount);
    expect(r).toEqual({ outcome: "approved", reference: expect.stringMatching(/^sbx_[a-z]+_id1$/), method: { brand, last4, expMonth: 12, expYear: 2034 } });
  });

  it.each<[string, DeclineCode]>([
    ["tok_chargeDeclined", "generic_decline"],
    ["tok_insufficientFunds", "insufficient_funds"],
    ["tok_expiredCard", "expired_card"],
    ["tok_fraudulent", "fraud_suspected"],
    ["tok_unknown", "invalid_payment_method"],
    ["tok_visa2", "invalid_payment_method"],
    ["tok_VISA", "invalid_payment_method"],
    ["tok_", "invalid_payment_method"],
  ])("declines %s with %s and a message for the payer", async (token, code) => {
    expect(await sandbox().authorize(token, amount)).toEqual({ outcome: "declined", code, message: expect.stringMatching(/\S/) });
  });

  it("fails tok_providerUnavailable with UNAVAILABLE, every time", async () => {
    const provider = sandbox();
    for (let i = 0; i < 2; i++) {
      const err = await provider.authorize("tok_providerUnavailable", amount).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ kind: "unavailable" });
    }
  });

  it("gives each authorization its own reference", async () => {
    const provider = sandbox();
    expect(await referenceOf(provider, "tok_visa")).not.toBe(await referenceOf(provider, "tok_visa"));
  });

  it.each([
    ["tok_visa", { outcome: "captured" }, { outcome: "succeeded" }],
    ["tok_mastercard", { outcome: "captured" }, { outcome: "succeeded" }],
    ["tok_amex", { outcome: "captured" }, { outcome: "succeeded" }],
    ["tok_jcb", { outcome: "captured" }, { outcome: "succeeded" }],
    ["tok_captureFails", { outcome: "refused", message: expect.any(String) }, { outcome: "succeeded" }],
    ["tok_refundFails", { outcome: "captured" }, { outcome: "failed", message: expect.any(String) }],
  ])("after %s: capture %o, refund %o, void succeeds", async (token, captureOutcome, refundOutcome) => {
    const provider = sandbox();
    const reference = await referenceOf(provider, token);
    expect(await provider.capture(reference, amount)).toEqual(captureOutcome);
    expect(await provider.refund(reference, krw(1_000n), "key-1")).toEqual(refundOutcome);
    await expect(provider.void(reference)).resolves.toBeUndefined();
  });

  it("answers the same to a reference after a restart (a new sandbox)", async () => {
    const reference = await referenceOf(sandbox(), "tok_captureFails");
    expect(await sandbox().capture(reference, amount)).toMatchObject({ outcome: "refused" });
  });

  it.each(["", "ch_123", "sbx_other_1", "sbx_ok_"])("rejects the reference %j it never made", async (reference) => {
    await expect(sandbox().capture(reference, amount)).rejects.toThrow(/not a sandbox reference/);
  });
});
