import { DomainError } from "@triphub/platform/domain-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser } from "../src/domain/user.js";
import type { User } from "../src/domain/user.js";
import { createUserStore } from "../src/store/user-store.js";
import type { UserStore } from "../src/store/user-store.js";
import { openTestDb, testSealer } from "./auth-db.js";
import type { TestDb } from "./auth-db.js";

// A database of its own: these tests count every user in it.
let testDb: TestDb;
let store: UserStore;
let all: User[]; // newest first

const t0 = new Date("2026-01-01T00:00:00.000Z");

beforeAll(async () => {
  testDb = await openTestDb("auth_user_list");
  store = createUserStore(testDb.db, await testSealer(testDb.db));
  const created: User[] = [];
  for (let i = 0; i < 7; i++) {
    // Users 2 and 3 share a timestamp, so paging must break the tie on id.
    const now = new Date(t0.getTime() + (i === 3 ? 2 : i) * 1000);
    const email = i % 2 === 0 ? `Even_${i}@example.com` : `odd%${i}@example.com`;
    const user = await store.insert(newUser({ email, displayName: `User ${i}` }, now), undefined);
    created.push(i >= 5 ? await store.setRoles(user.id, ["HOST"], now) : user);
  }
  all = [...created].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id > a.id ? 1 : -1));
});
afterAll(() => testDb?.close());

async function collect(pageSize: number, filter: { role?: "HOST"; emailPrefix?: string } = {}) {
  const pages: User[][] = [];
  let pageToken = "";
  do {
    const page = await store.list({ pageSize, pageToken, ...filter });
    pages.push(page.users);
    pageToken = page.nextPageToken;
  } while (pageToken !== "" && pages.length < 20);
  return pages;
}

describe("list", () => {
  it("returns every user once, newest first, across pages", async () => {
    const pages = await collect(3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((u) => u.id)).toEqual(all.map((u) => u.id));
  });

  it("uses the default page size for 0 and ends with an empty token", async () => {
    const page = await store.list({ pageSize: 0 });
    expect(page.users).toHaveLength(7);
    expect(page.nextPageToken).toBe("");
  });

  it("filters by role", async () => {
    const hosts = (await collect(1, { role: "HOST" })).flat();
    expect(hosts.map((u) => u.displayName)).toEqual(["User 6", "User 5"]);
  });

  it("filters by a case-insensitive email prefix", async () => {
    const even = (await collect(2, { emailPrefix: "EVEN_" })).flat();
    expect(even.map((u) => u.displayName)).toEqual(["User 6", "User 4", "User 2", "User 0"]);
  });

  it("treats LIKE wildcards in the prefix as plain characters", async () => {
    expect((await store.list({ emailPrefix: "odd%" })).users).toHaveLength(3);
    expect((await store.list({ emailPrefix: "%" })).users).toHaveLength(0);
    expect((await store.list({ emailPrefix: "eve_" })).users).toHaveLength(0);
  });

  it.each([
    ["another role filter", { role: "HOST" as const }, {}],
    ["another email prefix", { emailPrefix: "even_" }, { emailPrefix: "odd" }],
    ["a dropped filter", { emailPrefix: "even_" }, {}],
  ])("refuses a page token used with %s as invalid page_token", async (_case, issuedFor, usedWith) => {
    const { nextPageToken } = await store.list({ pageSize: 1, ...issuedFor });
    const err = await store.list({ pageToken: nextPageToken, ...usedWith }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details.violations).toEqual([
      { field: "page_token", description: expect.stringContaining("different ListUsers query") },
    ]);
    expect((err as DomainError).message).not.toContain("even_");
  });

  it("pages on with the same filters, the prefix in any case", async () => {
    const first = await store.list({ pageSize: 2, emailPrefix: "even_" });
    const rest = await store.list({ pageSize: 5, emailPrefix: "EVEN_", pageToken: first.nextPageToken });
    expect([...first.users, ...rest.users].map((u) => u.displayName)).toEqual(["User 6", "User 4", "User 2", "User 0"]);
  });

  it.each(["garbage", Buffer.from('["2026-01-01", "x"]').toString("base64url"), "W10"])(
    "rejects the forged page token %j as invalid",
    async (pageToken) => {
      const err = await store.list({ pageToken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).kind).toBe("invalid");
      expect((err as DomainError).details.violations?.[0].field).toBe("page_token");
    },
  );
});
