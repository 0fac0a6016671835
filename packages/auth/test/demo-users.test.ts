import { Code } from "@connectrpc/connect";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, type Database, openDatabase, type Sealer } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, testSealingKeys } from "@triphub/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SCRYPT_PARAMS, verifyPassword } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";
import { DEMO_GUEST_EMAIL, demoReviewers, REVIEWER_EMAIL_DOMAIN } from "../src/seed/demo-users.js";
import { seedDemoUsers } from "../src/seed/load-demo-users.js";
import { users } from "../src/store/schema.js";
import { createUserStore } from "../src/store/user-store.js";
import { testSealer } from "./auth-db.js";

const log = createLogger({ service: "auth-seed-test", level: "silent" });
const PASSWORD = "demo-guest-secret-from-the-devstack";
const now = new Date("2026-12-01T09:00:00.000Z");
let url: string;
let svc: RunningService;
let database: Database;
const db = () => database.db;
const keys = testSealingKeys();
let sealer: Sealer;

beforeAll(async () => {
  url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "demo_users" });
  database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 });
  svc = await serve(
    await buildServer({
      config: loadAuthConfig({ DATABASE_URL: url, AUTH_ISSUER: "demo-seed-test", AUTH_AUDIENCE: "triphub", ...keys }),
      database,
      log,
      now: () => now,
      passwordParams: TEST_SCRYPT_PARAMS,
    }),
  );
  // The seed seals with the service's keys, as the devstack runs it.
  sealer = await testSealer(db(), keys);
});
const reviewerIds = new Set(demoReviewers(150, 1).map((u) => u.id));
const storedReviewers = async () => (await db().select().from(users)).filter((u) => reviewerIds.has(u.id));
afterAll(() => svc?.close());

describe("the demo users", () => {
  it("creates 150 GUEST reviewers in many locales without a password, and the demo guest", async () => {
    const result = await seedDemoUsers(db(), sealer, { demoGuestPassword: PASSWORD, now });
    expect(result).toMatchObject({ reviewersCreated: 150, reviewersKept: 0, demoGuest: "created" });

    const reviewers = await storedReviewers();
    expect(reviewers).toHaveLength(150);
    expect(reviewers.every((u) => u.passwordHash === null && u.roles.join() === "GUEST")).toBe(true);
    const locales = new Set(reviewers.map((u) => u.locale));
    expect(locales.size).toBeGreaterThanOrEqual(8);
    expect([...locales]).toEqual(expect.arrayContaining(["ko-KR", "ja-JP", "en-US", "en-GB", "zh-Hant-TW", "fr-FR", "de-DE"]));
    // Names as the locale writes them: Hangul for Korean reviewers, "Given F." for English ones.
    for (const u of reviewers.filter((r) => r.locale === "ko-KR")) expect(u.displayName).toMatch(/^[가-힣]{2,4}$/);
    for (const u of reviewers.filter((r) => r.locale === "en-US")) expect(u.displayName).toMatch(/^[A-Z][a-z]+ [A-Z]\.$/);
    expect(new Set(reviewers.map((u) => u.displayName)).size).toBeGreaterThan(100);

    const [guest] = await db().select().from(users).where(eq(users.id, result.demoGuestId));
    expect(guest.email).not.toContain(DEMO_GUEST_EMAIL);
    expect((await createUserStore(db(), sealer).findByEmail(DEMO_GUEST_EMAIL))?.id).toBe(result.demoGuestId);
    expect(guest).toMatchObject({ id: result.demoGuestId, displayName: "Demo Guest", locale: "en-US", roles: ["GUEST"] });
    // Hashed as sign-up hashes in production (scrypt N=2^15), not with the test cost.
    expect(guest.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, guest.passwordHash!)).toBe(true);
  });

  it("is deterministic: the seed gives the same ids, emails, names and locales", async () => {
    const store = createUserStore(db(), sealer);
    const stored = await Promise.all((await storedReviewers()).map((u) => store.findById(u.id)));
    expect(stored.every((u) => u?.email.endsWith(`@${REVIEWER_EMAIL_DOMAIN}`))).toBe(true);
    const byId = new Map(stored.map((u) => [u!.id, u]));
    const expected = demoReviewers(150, 1);
    expect(expected).toEqual(demoReviewers(150, 1));
    for (const e of expected) expect(byId.get(e.id)).toMatchObject({ email: e.email, displayName: e.displayName, locale: e.locale });
    // Reviewer n does not depend on how many are made.
    expect(demoReviewers(10, 1)).toEqual(expected.slice(0, 10));
    expect(demoReviewers(10, 2).map((u) => u.id)).not.toEqual(expected.slice(0, 10).map((u) => u.id));
  });

  it("keeps every account and the demo guest's password when run again", async () => {
    const before = await db().select().from(users).orderBy(users.id);
    const again = await seedDemoUsers(db(), sealer, { demoGuestPassword: PASSWORD, now: new Date(now.getTime() + 86_400_000) });
    expect(again).toMatchObject({ reviewersCreated: 0, reviewersKept: 150, demoGuest: "kept" });
    expect(await db().select().from(users).orderBy(users.id)).toEqual(before);

    // A different password (the secrets file was lost) does not overwrite the account's.
    const other = await seedDemoUsers(db(), sealer, { demoGuestPassword: "another one", now });
    expect(other.demoGuest).toBe("password_differs");
    expect(await db().select().from(users).orderBy(users.id)).toEqual(before);
  });

  it("lets the demo guest log in to the real auth service, and no reviewer", async () => {
    const api = svc.client(AuthService);
    const res = await api.login({ email: DEMO_GUEST_EMAIL, password: PASSWORD });
    expect(res.user).toMatchObject({ email: DEMO_GUEST_EMAIL, displayName: "Demo Guest", locale: "en-US", roles: [Role.GUEST] });
    const me = await svc.client(AuthService, res.tokens!.accessToken).getMe({});
    expect(me.user?.userId).toBe(res.user?.userId);

    const [reviewer] = demoReviewers(1, 1);
    await expect(api.login({ email: reviewer.email, password: "" })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(api.login({ email: reviewer.email, password: "any password at all" })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });
});
