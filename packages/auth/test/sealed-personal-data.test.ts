import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { Code } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createReencryptJob, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, testSealingKeys } from "@triphub/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, TEST_SCRYPT_PARAMS } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";
import { createUserStore } from "../src/store/user-store.js";
import { testSealer } from "./auth-db.js";

const ADMIN = "root@sealed.test";
const PASSWORD = "correct horse battery";
const keyOf = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const K1 = keyOf("k1");
const K2 = keyOf("k2");
const BLIND_INDEX_KEY = testSealingKeys().BLIND_INDEX_KEY;

let url: string;
let raw: postgres.Sql;
let logged = "";
const running: RunningService[] = [];

/** Auth on the test's database with these key-encryption keys, logging at trace into `logged`. */
async function startAuth(DATA_KEKS: string): Promise<RunningService> {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  const log = createLogger({ service: "auth-sealed-test", level: "trace", destination });
  const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 });
  const svc = await serve(
    await buildServer({
      config: loadAuthConfig({ DATABASE_URL: url, BOOTSTRAP_ADMIN_EMAIL: ADMIN, DATA_KEKS, BLIND_INDEX_KEY }),
      database,
      log,
      passwordParams: TEST_SCRYPT_PARAMS,
    }),
  );
  running.push(svc);
  return svc;
}

const stop = async (svc: RunningService) => {
  await svc.close();
  running.splice(running.indexOf(svc), 1);
};

/** Every stored byte of every users row, as text. */
async function usersTable(): Promise<string> {
  const rows = await raw<{ row: string }[]>`select u::text as row from users u`;
  return rows.map((r) => r.row).join("\n").toLowerCase();
}

const people = [
  { email: "Ana.Kim@Example.com", phone: "+821012345678" },
  { email: "bob.stone@example.org", phone: "+4915112345678" },
  { email: ADMIN, phone: "+33612345678" },
];

beforeAll(async () => {
  url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "auth_sealed" });
  raw = postgres(url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  for (const svc of [...running]) await svc.close();
  await raw?.end();
});

describe("users' personal data at rest", () => {
  let svc: RunningService;
  const ids: Record<string, string> = {};

  it("stores no email or phone in clear, yet finds accounts by email", async () => {
    svc = await startAuth(K1);
    for (const p of people) {
      const res = await svc.client(AuthService).signUp({ email: p.email, password: PASSWORD, displayName: "Someone" });
      await svc.client(AuthService, res.tokens!.accessToken).updateMe({ user: { phone: p.phone }, updateMask: { paths: ["phone"] } });
      ids[p.email] = res.user!.userId;
    }
    const table = await usersTable();
    for (const p of people) {
      expect(table).not.toContain(p.email.toLowerCase());
      expect(table).not.toContain(p.email.split("@")[0]!.toLowerCase());
      expect(table).not.toContain(p.phone.slice(1));
    }
    // Login, sign-up uniqueness (any case) and the admin's lookups all go through the blind index.
    const login = await svc.client(AuthService).login({ email: "ANA.kim@example.COM", password: PASSWORD });
    expect(login.user).toMatchObject({ userId: ids[people[0]!.email], email: people[0]!.email, phone: people[0]!.phone });
    await expect(svc.client(AuthService).signUp({ email: "ANA.KIM@example.com", password: PASSWORD, displayName: "Again" })).rejects.toMatchObject({
      code: Code.AlreadyExists,
    });
    const admin = (await svc.client(AuthService).login({ email: ADMIN, password: PASSWORD })).tokens!.accessToken;
    const page = await svc.client(AuthService, admin).listUsers({ emailPrefix: "BOB.S" });
    expect(page.users.map((u) => u.email)).toEqual([people[1]!.email]);
    expect((await svc.client(AuthService, admin).listUsers({ emailPrefix: "b" })).users.map((u) => u.email)).toEqual([people[1]!.email]);
    expect((await svc.client(AuthService, admin).listUsers({ emailPrefix: "bob.x" })).users).toEqual([]);
    expect((await svc.client(AuthService, admin).getUser({ userId: ids[people[1]!.email] })).user?.phone).toBe(people[1]!.phone);
  });

  it("never logs an email or a phone number, even at trace", () => {
    expect(logged.length).toBeGreaterThan(0);
    for (const p of people) {
      expect(logged.toLowerCase()).not.toContain(p.email.toLowerCase());
      expect(logged).not.toContain(p.phone);
    }
  });

  it("refuses a ciphertext copied from another row, and a tampered one, with a clear error and no crash", async () => {
    const [ana, bob] = [ids[people[0]!.email]!, ids[people[1]!.email]!];
    const [saved] = await raw<{ email: string }[]>`select email from users where id = ${bob}`;
    await raw`update users set email = (select email from users where id = ${ana}) where id = ${bob}`;
    const bobToken = async () => (await svc.client(AuthService).login({ email: people[1]!.email, password: PASSWORD })).tokens!.accessToken;
    await expect(bobToken()).rejects.toMatchObject({ code: Code.Internal });
    expect(logged).toMatch(/users\.email of [0-9a-f-]{36} does not open/);

    // One character of the ciphertext changed (not the last: its low bits may be padding).
    const at = saved!.email.lastIndexOf(".") + 3;
    const tampered = saved!.email.slice(0, at) + (saved!.email[at] === "A" ? "B" : "A") + saved!.email.slice(at + 1);
    await raw`update users set email = ${tampered} where id = ${bob}`;
    await expect(bobToken()).rejects.toMatchObject({ code: Code.Internal });
    // The service goes on serving the others, and the row opens again once restored.
    expect((await svc.client(AuthService).login({ email: people[0]!.email, password: PASSWORD })).user?.email).toBe(people[0]!.email);
    await raw`update users set email = ${saved!.email} where id = ${bob}`;
    expect(await bobToken()).toBeTruthy();
  });

  it("seals accounts stored before sealing when the service starts", async () => {
    await stop(svc);
    const hash = await hashPassword(PASSWORD, TEST_SCRYPT_PARAMS);
    await raw`insert into users (email, email_normalized, password_hash, display_name, phone)
      values ('Old.Timer@Example.net', 'old.timer@example.net', ${hash}, 'Old Timer', '+12025550123')`;
    expect(await usersTable()).toContain("old.timer@example.net");
    svc = await startAuth(K1);
    const table = await usersTable();
    expect(table).not.toContain("old.timer");
    expect(table).not.toContain("2025550123");
    const login = await svc.client(AuthService).login({ email: "old.timer@example.net", password: PASSWORD });
    expect(login.user).toMatchObject({ email: "Old.Timer@Example.net", phone: "+12025550123" });
  });

  it("rotates the key-encryption key without losing data: both keys, then only the new one", async () => {
    await stop(svc);
    svc = await startAuth(`${K2},${K1}`);
    expect((await raw<{ kek_id: string }[]>`select distinct kek_id from data_keys`).map((r) => r.kek_id)).toEqual(["k2"]);
    expect((await svc.client(AuthService).login({ email: people[0]!.email, password: PASSWORD })).user?.phone).toBe(people[0]!.phone);
    await stop(svc);
    svc = await startAuth(K2);
    expect((await svc.client(AuthService).login({ email: people[1]!.email, password: PASSWORD })).user?.phone).toBe(people[1]!.phone);
    await stop(svc);
    // The old key alone no longer opens anything: the service refuses to start.
    await expect(startAuth(K1)).rejects.toThrow(/DATA_KEKS lacks key k2/);
  });

  it("moves every row onto a new data key with the re-encrypt job", async () => {
    const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log: createLogger({ service: "t", level: "silent" }), max: 2 });
    try {
      const sealer = await testSealer(database.db, { DATA_KEKS: K2, BLIND_INDEX_KEY });
      const old = sealer.currentKeyId();
      const fresh = await sealer.rotateDataKey();
      expect(fresh).not.toBe(old);
      // As if the activation delay had passed: a sealer started after it seals with the new key.
      await raw`update data_keys set created_at = created_at - interval '1 hour' where id = ${fresh}`;
      await sealer.refresh();
      const users = createUserStore(database.db, sealer);
      const job = createReencryptJob({ sealer, steps: { users: (k, n) => users.reseal(k, n) }, log: createLogger({ service: "t", level: "silent" }), now: () => new Date(), batchSize: 2 });
      expect(await job.runOnce()).toBe(people.length + 1);
      const rows = await raw<{ email: string; phone: string }[]>`select email, phone from users`;
      expect(rows.every((r) => r.email.startsWith(`v1.${fresh}.`) && r.phone.startsWith(`v1.${fresh}.`))).toBe(true);
      expect(await job.runOnce()).toBe(0);
    } finally {
      await database.close();
    }
    svc = await startAuth(K2);
    expect((await svc.client(AuthService).login({ email: "old.timer@example.net", password: PASSWORD })).user?.phone).toBe("+12025550123");
  });
});
