import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { freshDatabase } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, createLogger, createReencryptJob, loadConfig, openSealer, SealedValueError, sealingConfigSpec } from "../src/index.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const log = createLogger({ service: "sealing-test", level: "silent" });
const key = () => randomBytes(32).toString("base64");
const K1 = `k1:${key()}`;
const K2 = `k2:${key()}`;
const BLIND = key();

let client: postgres.Sql;
let t = new Date("2026-12-01T10:00:00.000Z");
const now = () => t;

const sealer = (DATA_KEKS: string, activationMs?: number) => {
  const cfg = loadConfig(sealingConfigSpec, { DATA_KEKS, BLIND_INDEX_KEY: BLIND });
  return openSealer(drizzle(client), { keks: cfg.DATA_KEKS, blindIndexKey: cfg.BLIND_INDEX_KEY, log, now, activationMs });
};
const row = (id: string) => ({ table: "people", column: "email", row: id });

beforeAll(async () => {
  client = postgres(await freshDatabase({ migrationsFolder, name: "sealing" }), { max: 4, onnotice: () => {} });
  // As dataKeysTable() generates it into a service's migrations.
  await client`create table data_keys (id text primary key, kek_id text not null, wrapped_key bytea not null,
    created_at timestamp(3) with time zone not null, retired_at timestamp(3) with time zone)`;
  await client`create table people (id text primary key, email text not null)`;
});
afterAll(() => client?.end());
beforeEach(async () => {
  await client`truncate data_keys, people`;
});

describe("the configured keys", () => {
  it.each([
    ["unset", {}, /DATA_KEKS is required/],
    ["without an id", { DATA_KEKS: key() }, /DATA_KEKS entries must start with an id/],
    ["too short", { DATA_KEKS: `k1:${randomBytes(16).toString("base64")}` }, /must be 32 bytes/],
    ["named twice", { DATA_KEKS: `${K1},${K1}` }, /names key k1 twice/],
  ])("refuses DATA_KEKS %s at start, without echoing it", (_, given: Record<string, string>, message) => {
    let err: unknown;
    try {
      loadConfig(sealingConfigSpec, { BLIND_INDEX_KEY: BLIND, ...given });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    for (const v of Object.values(given)) expect((err as Error).message).not.toContain(v.split(":").pop());
  });

  it("refuses a missing blind-index key", () => {
    expect(() => loadConfig(sealingConfigSpec, { DATA_KEKS: K1 })).toThrow(/BLIND_INDEX_KEY is required/);
  });
});

describe("sealed values", () => {
  it("open where they were sealed, and nowhere else", async () => {
    const s = await sealer(K1);
    const sealed = s.seal("ana@example.com", row("a"));
    expect(sealed).toMatch(new RegExp(`^v1\\.${s.currentKeyId()}\\.`));
    expect(sealed).not.toContain("ana");
    expect(s.seal("ana@example.com", row("a"))).not.toBe(sealed);
    expect(s.open(sealed, row("a"))).toBe("ana@example.com");
    expect(() => s.open(sealed, row("b"))).toThrow(SealedValueError);
    expect(() => s.open(sealed, { ...row("a"), column: "phone" })).toThrow(/does not open/);
  });

  it("refuses a tampered value with a clear error", async () => {
    const s = await sealer(K1);
    const sealed = s.seal("ana@example.com", row("a"));
    // One character of the ciphertext changed (not the last: its low bits may be padding).
    const at = sealed.lastIndexOf(".") + 3;
    const tampered = sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1);
    expect(() => s.open(tampered, row("a"))).toThrow(/people.email of a does not open/);
    expect(() => s.open("ana@example.com", row("a"))).toThrow(/is not a sealed value/);
    expect(() => s.open(sealed.replace(/^v1\.[^.]+/, "v1.unknownkey"), row("a"))).toThrow(/data key unknownkey, which is not loaded/);
  });

  it("gives equal blind indexes for equal input only, per purpose", async () => {
    const s = await sealer(K1);
    expect(s.blindIndex("users.email", "ana@example.com")).toBe(s.blindIndex("users.email", "ana@example.com"));
    expect(s.blindIndex("users.email", "ana@example.com")).not.toBe(s.blindIndex("users.email", "bob@example.com"));
    expect(s.blindIndex("users.email", "ana@example.com")).not.toBe(s.blindIndex("guests.email", "ana@example.com"));
  });
});

describe("key-encryption key rotation", () => {
  it("re-wraps the data keys with a new current KEK, after which the old one can go", async () => {
    const first = await sealer(K1);
    const sealed = first.seal("ana@example.com", row("a"));
    const [before] = await client<{ kek_id: string; wrapped_key: Buffer }[]>`select kek_id, wrapped_key from data_keys`;
    expect(before?.kek_id).toBe("k1");

    const both = await sealer(`${K2},${K1}`);
    expect(both.open(sealed, row("a"))).toBe("ana@example.com");
    const [after] = await client<{ kek_id: string; wrapped_key: Buffer }[]>`select kek_id, wrapped_key from data_keys`;
    expect(after?.kek_id).toBe("k2");
    expect(after?.wrapped_key.equals(before!.wrapped_key)).toBe(false);

    const onlyNew = await sealer(K2);
    expect(onlyNew.open(sealed, row("a"))).toBe("ana@example.com");
    await expect(sealer(K1)).rejects.toThrow(/DATA_KEKS lacks key k2, which wraps data key/);
    await expect(sealer(`k2:${key()}`)).rejects.toThrow(/does not unwrap data key/);
  });
});

describe("data key rotation and the re-encrypt job", () => {
  it("seals with a new data key once every instance has had time to load it, and moves every row onto it", async () => {
    const s = await sealer(K1, 60_000);
    const old = s.currentKeyId();
    for (let i = 0; i < 25; i++) await client`insert into people values (${`p${i}`}, ${s.seal(`p${i}@example.com`, row(`p${i}`))})`;
    const other = await sealer(K1, 60_000);

    const fresh = await s.rotateDataKey();
    expect(s.currentKeyId()).toBe(old);
    t = new Date(t.getTime() + 61_000);
    expect(s.currentKeyId()).toBe(fresh);

    // Batches of 10 that each make progress on their own (what a service's step does).
    const steps = {
      people: async (current: string, limit: number) => {
        const rows = await client<{ id: string; email: string }[]>`
          select id, email from people where not starts_with(email, ${`v1.${current}.`}) order by id limit ${limit} for update skip locked`;
        for (const r of rows) await client`update people set email = ${s.seal(s.open(r.email, row(r.id)), row(r.id))} where id = ${r.id}`;
        return rows.length;
      },
    };
    const job = createReencryptJob({ sealer: other, steps, log, now, batchSize: 10, maxKeyAgeMs: 0 });
    expect(await job.runOnce()).toBe(25);
    const stored = await client<{ id: string; email: string }[]>`select id, email from people`;
    expect(stored.every((r) => r.email.startsWith(`v1.${fresh}.`))).toBe(true);
    // The other instance loaded the new key on its run and opens what moved onto it.
    expect(stored.map((r) => other.open(r.email, row(r.id))).sort()).toContain("p7@example.com");
    expect(await job.runOnce()).toBe(0);
    const keys = await client<{ id: string; retired_at: Date | null }[]>`select id, retired_at from data_keys order by created_at`;
    expect(keys.map((k) => [k.id, k.retired_at !== null])).toEqual([
      [old, true],
      [fresh, false],
    ]);
  });

  it("does not read the records again while they are all on the current key, until the rescan interval or a new key", async () => {
    const s = await sealer(K1, 0);
    const scans: string[] = [];
    const people = async (current: string) => {
      scans.push(current);
      return 0;
    };
    const job = createReencryptJob({ sealer: s, steps: { people }, log, now, maxKeyAgeMs: 0, rescanMs: 3_600_000 });
    await job.runOnce();
    await job.runOnce();
    expect(scans).toEqual([s.currentKeyId()]);
    t = new Date(t.getTime() + 3_600_001);
    await job.runOnce();
    expect(scans).toHaveLength(2);
    const fresh = await s.rotateDataKey();
    await job.runOnce();
    expect(scans.at(-1)).toBe(fresh);
  });

  it("replaces a data key older than the maximum age", async () => {
    const s = await sealer(K1, 0);
    const old = s.currentKeyId();
    t = new Date(t.getTime() + 91 * 86_400_000);
    await createReencryptJob({ sealer: s, steps: {}, log, now }).runOnce();
    expect(s.currentKeyId()).not.toBe(old);
  });
});
