import { DomainError } from "@triphub/platform/domain-error";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyProfilePatch, newUser } from "../src/domain/user.js";
import type { User } from "../src/domain/user.js";
import { createUserStore } from "../src/store/user-store.js";
import type { UserStore } from "../src/store/user-store.js";
import { openTestDb, testSealer } from "./auth-db.js";
import type { TestDb } from "./auth-db.js";

let testDb: TestDb;
let store: UserStore;

beforeAll(async () => {
  testDb = await openTestDb("auth_user_store");
  store = createUserStore(testDb.db, await testSealer(testDb.db));
});
afterAll(() => testDb?.close());

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let counter = 0;
const uniqueEmail = (prefix = "user") => `${prefix}${++counter}.${Date.now()}@example.com`;

function insert(email: string, now = t0, hash: string | undefined = "scrypt$hash"): Promise<User> {
  return store.insert(newUser({ email, displayName: "Someone" }, now), hash);
}

const rejection = (p: Promise<unknown>) => rejectionOf(p, DomainError);

describe("insert and find", () => {
  it("stores a user and finds it by id and by email in any case", async () => {
    const email = uniqueEmail("Mixed");
    const user = await insert(email);
    expect(user).toMatchObject({ email, displayName: "Someone", phone: "", locale: "", roles: ["GUEST"] });
    expect(user.createdAt).toEqual(t0);
    expect(await store.findById(user.id)).toEqual(user);
    expect(await store.findByEmail(` ${email.toUpperCase()} `)).toEqual(user);
  });

  it("refuses a second account with the same email in another case", async () => {
    const email = uniqueEmail();
    await insert(email);
    const err = await rejection(insert(email.toUpperCase()));
    expect(err.kind).toBe("already_exists");
    expect(err.message).toBe("an account with this email already exists");
  });

  it("lets exactly one of two concurrent sign-ups with one email win", async () => {
    const email = uniqueEmail();
    const results = await Promise.allSettled([insert(email), insert(email), insert(email)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("finds nothing for an unknown id, a malformed id or an unknown email", async () => {
    expect(await store.findById("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(await store.findById("not-a-uuid")).toBeUndefined();
    expect(await store.findByEmail("nobody@example.com")).toBeUndefined();
  });
});

describe("passwords", () => {
  it("returns the stored hash and replaces it", async () => {
    const user = await insert(uniqueEmail(), t0, "scrypt$old");
    expect(await store.getPasswordHash(user.id)).toBe("scrypt$old");
    await store.setPassword(user.id, "scrypt$new", at(10));
    expect(await store.getPasswordHash(user.id)).toBe("scrypt$new");
    expect((await store.findById(user.id))?.updatedAt).toEqual(at(10));
  });

  it("has no hash for a social-login account", async () => {
    const user = await store.insert(newUser({ email: uniqueEmail(), displayName: "Social" }, t0), undefined);
    expect(await store.getPasswordHash(user.id)).toBeUndefined();
  });

  it("cannot set the password of an unknown user", async () => {
    const err = await rejection(store.setPassword("00000000-0000-4000-8000-000000000000", "x", t0));
    expect(err.kind).toBe("not_found");
  });
});

describe("updateUser", () => {
  it("saves what the change function returns", async () => {
    const user = await insert(uniqueEmail());
    const updated = await store.updateUser(user.id, (u) =>
      applyProfilePatch(u, { phone: "+821012345678", locale: "ko-KR" }, ["phone", "locale"], at(5)),
    );
    expect(updated).toEqual({ ...user, phone: "+821012345678", locale: "ko-KR", updatedAt: at(5) });
    expect(await store.findById(user.id)).toEqual(updated);
  });

  it("saves nothing when the change function throws", async () => {
    const user = await insert(uniqueEmail());
    const err = await rejection(store.updateUser(user.id, (u) => applyProfilePatch(u, {}, ["email"], at(5))));
    expect(err.kind).toBe("invalid");
    expect(await store.findById(user.id)).toEqual(user);
  });

  it("serialises concurrent changes so none is lost", async () => {
    const user = await insert(uniqueEmail());
    await Promise.all(
      Array.from({ length: 10 }, () =>
        store.updateUser(user.id, (u) => ({ ...u, displayName: `${u.displayName}+` })),
      ),
    );
    expect((await store.findById(user.id))?.displayName).toBe("Someone++++++++++");
  });

  it("reports an unknown user as not found", async () => {
    const err = await rejection(store.updateUser("00000000-0000-4000-8000-000000000000", (u) => u));
    expect(err.kind).toBe("not_found");
  });
});

describe("setRoles", () => {
  it("replaces the roles and always keeps GUEST", async () => {
    const user = await insert(uniqueEmail());
    const updated = await store.setRoles(user.id, ["ADMIN", "HOST"], at(3));
    expect(updated.roles).toEqual(["GUEST", "HOST", "ADMIN"]);
    expect((await store.setRoles(user.id, ["GUEST"], at(4))).roles).toEqual(["GUEST"]);
  });
});
