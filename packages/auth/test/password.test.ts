import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCRYPT_PARAMS,
  DUMMY_HASH,
  dummyHashFor,
  TEST_SCRYPT_PARAMS,
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "../src/domain/password.js";

const fast = TEST_SCRYPT_PARAMS;

describe("hashPassword", () => {
  it("writes a self-describing scrypt string", async () => {
    const stored = await hashPassword("correct horse battery", fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it("salts every hash, so one password never hashes the same twice", async () => {
    const [a, b] = await Promise.all([hashPassword("same password", fast), hashPassword("same password", fast)]);
    expect(a).not.toBe(b);
  });

  it("uses N=2^15, r=8, p=1 by default", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
  });
});

describe("verifyPassword", () => {
  it.each([
    ["correct horse battery", true],
    ["correct horse batterY", false],
    ["", false],
    ["correct horse battery ", false],
  ])("answers %j with %s", async (attempt, expected) => {
    const stored = await hashPassword("correct horse battery", fast);
    expect(await verifyPassword(attempt, stored)).toBe(expected);
  });

  it("reads the parameters from the stored hash, so old hashes keep working", async () => {
    const old = await hashPassword("pw-from-2020", { N: 2 ** 11, r: 8, p: 2 });
    expect(await verifyPassword("pw-from-2020", old)).toBe(true);
  });

  it("treats differently composed Unicode as the same password", async () => {
    const stored = await hashPassword("caf\u00e9-password", fast);
    expect(await verifyPassword("cafe\u0301-password", stored)).toBe(true);
  });

  it.each([
    "bcrypt$whatever",
    "scrypt$1024$8$1$onlyfive",
    "scrypt$1000$8$1$MU3Jt9JbKgS5pVbemBt2mQ$vXbPMbTtD6x9ngMWMYvdxcgpdMoWTmqM7xmUi00Y6pM",
    "scrypt$4194304$8$1$MU3Jt9JbKgS5pVbemBt2mQ$vXbPMbTtD6x9ngMWMYvdxcgpdMoWTmqM7xmUi00Y6pM",
  ])("refuses the malformed stored hash %j", async (stored) => {
    await expect(verifyPassword("x", stored)).rejects.toThrow();
  });
});

describe("needsRehash", () => {
  it("flags hashes made with other parameters", async () => {
    const stored = await hashPassword("pw", fast);
    expect(needsRehash(stored, fast)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });
});

describe("burnPasswordCheck", () => {
  it("is a well-formed hash at the default cost", () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
  });

  it("always answers false", async () => {
    expect(await burnPasswordCheck("anything at all")).toBe(false);
    expect(await burnPasswordCheck("anything at all", fast)).toBe(false);
  });

  // Equal cost follows from equal parameters; timing itself is for benchmarks, not tests.
  it.each([
    ["the default cost", DEFAULT_SCRYPT_PARAMS],
    ["a custom cost", { N: 2 ** 13, r: 8, p: 1 }],
  ])("checks against a dummy hash made with the same parameters as real ones at %s", (_name, params) => {
    expect(needsRehash(dummyHashFor(params), params)).toBe(false);
  });
});
