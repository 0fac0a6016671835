import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSigningKey } from "../src/domain/signing-keys.js";
import { isSealed, keyEncryptionKey, openJwk, sealJwk } from "../src/store/key-sealing.js";
import { createKeyStore } from "../src/store/key-store.js";
import { signingKeys } from "../src/store/schema.js";
import { openTestDb, type TestDb } from "./auth-db.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const kek = keyEncryptionKey("a-test-secret-of-at-least-32-characters");
const otherKek = keyEncryptionKey("another-secret-of-at-least-32-characters");

describe("sealing a private key", () => {
  it("opens what it sealed, and only with the same key and key id", async () => {
    const key = await generateSigningKey(t0);
    const sealed = sealJwk(key.privateJwk, key.kid, kek);
    expect(JSON.stringify(sealed)).not.toContain(String(key.privateJwk.d));
    expect(openJwk(sealed, key.kid, kek)).toEqual(key.privateJwk);
    expect(() => openJwk(sealed, key.kid, otherKek)).toThrow(/does not open/);
    expect(() => openJwk(sealed, "another-kid", kek)).toThrow(/does not open/);
    expect(() => openJwk({ ...sealed, data: sealed.data.replace(/^./, (c) => (c === "A" ? "B" : "A")) }, key.kid, kek)).toThrow(/does not open/);
    expect(() => openJwk(sealed, key.kid, undefined)).toThrow(/AUTH_KEY_ENCRYPTION_KEY is not set/);
  });
});

describe("the key store with a key-encryption key", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb("auth_key_sealing");
  });
  beforeEach(async () => {
    await testDb.db.delete(signingKeys);
  });
  afterAll(() => testDb?.close());

  const stored = async () => (await testDb.db.select().from(signingKeys)).map((r) => r.privateJwk);

  it("stores private keys sealed and reads them back usable", async () => {
    const keys = createKeyStore(testDb.db, { kek });
    const key = await keys.ensureActiveKey(t0);
    const [row] = await stored();
    expect(isSealed(row!)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(String(key.privateJwk.d));
    expect(await keys.all()).toEqual([key]);
    await expect(createKeyStore(testDb.db).all()).rejects.toThrow(/AUTH_KEY_ENCRYPTION_KEY is not set/);
  });

  it("seals keys stored before a key-encryption key was set, on its first start with one", async () => {
    const plain = await createKeyStore(testDb.db).ensureActiveKey(t0);
    expect(isSealed((await stored())[0]!)).toBe(false);
    const sealedStore = createKeyStore(testDb.db, { kek });
    expect(await sealedStore.ensureActiveKey(t0)).toEqual(plain);
    expect((await stored()).every(isSealed)).toBe(true);
  });
});
