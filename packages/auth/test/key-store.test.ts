import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activeKey, PUBLISH_AHEAD_SECONDS, publishedKeys } from "../src/domain/signing-keys.js";
import { signingKeys } from "../src/store/schema.js";
import { createKeyStore } from "../src/store/key-store.js";
import type { KeyStore } from "../src/store/key-store.js";
import { openTestDb } from "./auth-db.js";
import type { TestDb } from "./auth-db.js";

let testDb: TestDb;
let keys: KeyStore;

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeAll(async () => {
  testDb = await openTestDb("auth_key_store");
  keys = createKeyStore(testDb.db);
});
beforeEach(async () => {
  await testDb.db.delete(signingKeys);
});
afterAll(() => testDb?.close());

describe("ensureActiveKey", () => {
  it("creates the first key and returns the same one afterwards", async () => {
    const first = await keys.ensureActiveKey(t0);
    const again = await keys.ensureActiveKey(at(10));
    expect(again).toEqual(first);
    expect(await keys.all()).toEqual([first]);
  });

  it("creates one key when several instances start at once", async () => {
    // Each instance has its own pool with a live connection, so the transactions truly overlap.
    const instances = await Promise.all(Array.from({ length: 6 }, () => testDb.connect()));
    try {
      await Promise.all(instances.map((i) => i.db.execute(sql`select 1`)));
      const results = await Promise.all(instances.map((i) => createKeyStore(i.db).ensureActiveKey(t0)));
      expect(new Set(results.map((k) => k.kid)).size).toBe(1);
      expect(await keys.all()).toHaveLength(1);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });

  it("round-trips the key material", async () => {
    const key = await keys.ensureActiveKey(t0);
    const [stored] = await keys.all();
    expect(stored.publicJwk).toEqual(key.publicJwk);
    expect(stored.privateJwk).toEqual(key.privateJwk);
    expect(stored.createdAt).toEqual(t0);
    expect(stored.retiredAt).toBeUndefined();
  });
});

describe("rotate", () => {
  it("publishes the new key first and switches to it a minute later, retiring the old one then", async () => {
    const old = await keys.ensureActiveKey(t0);
    const next = await keys.rotate(at(100));
    const all = await keys.all();
    expect(all.map((k) => k.kid)).toEqual([next.kid, old.kid]);
    expect(publishedKeys(all, at(100), 900).map((k) => k.kid)).toEqual([next.kid, old.kid]);
    expect(activeKey(all, at(100))?.kid).toBe(old.kid);
    expect(activeKey(all, at(100 + PUBLISH_AHEAD_SECONDS - 1))?.kid).toBe(old.kid);
    expect(all[1].retiredAt).toEqual(at(100 + PUBLISH_AHEAD_SECONDS));
    expect(activeKey(all, at(100 + PUBLISH_AHEAD_SECONDS))?.kid).toBe(next.kid);
    expect(await keys.ensureActiveKey(at(100 + PUBLISH_AHEAD_SECONDS + 1))).toEqual(next);
  });

  it("keeps the rotated-out key published until its last token expires", async () => {
    const old = await keys.ensureActiveKey(t0);
    const next = await keys.rotate(at(100));
    const all = await keys.all();
    const retired = 100 + PUBLISH_AHEAD_SECONDS;
    expect(publishedKeys(all, at(retired + 900), 900).map((k) => k.kid)).toEqual([next.kid, old.kid]);
    expect(publishedKeys(all, at(retired + 900 + 60), 900).map((k) => k.kid)).toEqual([next.kid]);
  });

  it("leaves exactly one active key after concurrent rotations", async () => {
    await keys.ensureActiveKey(t0);
    await Promise.all([keys.rotate(at(1)), keys.rotate(at(1)), keys.rotate(at(1))]);
    const all = await keys.all();
    expect(all).toHaveLength(4);
    expect(all.filter((k) => k.retiredAt === undefined)).toHaveLength(1);
  });
});
