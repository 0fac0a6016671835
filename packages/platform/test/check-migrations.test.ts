import { describe, expect, it } from "vitest";

// scripts/check-migrations.mjs (run by .ci/run): drizzle never re-runs a migration it has
// applied, so a committed one must never change.

type Change = { path: string; change: "edited" | "deleted" };
const script = new URL("../../../scripts/check-migrations.mjs", import.meta.url).href;
const { changedMigrations, isMigration } = (await import(script)) as {
  changedMigrations: (before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) => Change[];
  isMigration: (path: string) => boolean;
};

const committed = new Map([
  ["packages/accommodation/drizzle/0000_extensions.sql", "create extension pg_trgm;"],
  ["packages/accommodation/drizzle/0001_init.sql", "create table properties ();"],
  ["packages/auth/drizzle/0000_init.sql", "create table users ();"],
]);

describe("check-migrations", () => {
  it("accepts an unchanged tree and appended migrations", () => {
    expect(changedMigrations(committed, new Map(committed))).toEqual([]);
    const appended = new Map([...committed, ["packages/accommodation/drizzle/0002_more.sql", "create index x on properties (id);"]]);
    expect(changedMigrations(committed, appended)).toEqual([]);
  });

  it("names a committed migration whose content changed", () => {
    const edited = new Map(committed).set("packages/accommodation/drizzle/0001_init.sql", "create table properties (quality float8);");
    expect(changedMigrations(committed, edited)).toEqual([{ path: "packages/accommodation/drizzle/0001_init.sql", change: "edited" }]);
  });

  it("names a committed migration that is gone", () => {
    const after = new Map(committed);
    after.delete("packages/auth/drizzle/0000_init.sql");
    expect(changedMigrations(committed, after)).toEqual([{ path: "packages/auth/drizzle/0000_init.sql", change: "deleted" }]);
  });

  it("looks at migrations only, not drizzle's journal and snapshots or SQL elsewhere", () => {
    expect(isMigration("packages/auth/drizzle/0003_x.sql")).toBe(true);
    expect(isMigration("packages/auth/drizzle/meta/_journal.json")).toBe(false);
    expect(isMigration("packages/accommodation/test/fixtures/0003_destination_indexes.original.sql")).toBe(false);
    const before = new Map([["packages/accommodation/drizzle/meta/_journal.json", "{}"]]);
    expect(changedMigrations(before, new Map())).toEqual([]);
  });
});
