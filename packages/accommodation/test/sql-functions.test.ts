import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoWeekday } from "../src/domain/dates.js";
import { isWeekendNight, WEEKEND_WEEKDAYS } from "../src/domain/night-price.js";
import { migrationsFolder, openTestDb, type TestDb } from "./accommodation-db.js";

// The SQL functions of the migrations: one weekend rule shared with the code, and a pointer to
// where each function's current definition lives (store/search/index.ts).

const OVERVIEW = fileURLToPath(new URL("../src/store/search/index.ts", import.meta.url));

/** Each function the migrations create, with the last migration that (re)defines it. */
async function lastDefinitions(): Promise<Map<string, string>> {
  const files = (await readdir(migrationsFolder)).filter((f) => f.endsWith(".sql")).sort();
  const last = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(join(migrationsFolder, file), "utf8");
    for (const m of text.matchAll(/create\s+(?:or\s+replace\s+)?function\s+"?(\w+)"?\s*\(/gi)) last.set(m[1]!, `drizzle/${file}`);
  }
  return last;
}

/** The overview's list: function name -> the migration it says holds the current definition. */
async function pointers(): Promise<Map<string, string>> {
  const text = await readFile(OVERVIEW, "utf8");
  return new Map([...text.matchAll(/^ \*\s+(\w+)\s+(drizzle\/\d{4}_\w+\.sql)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe("SQL functions", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb("acc_sql_functions");
  });
  afterAll(() => testDb?.close());

  it("the search overview names the migration holding each function's current definition", async () => {
    const last = await lastDefinitions();
    expect(last.get("refresh_room_type_price_bounds")).toBeDefined();
    expect(await pointers()).toEqual(last);
  });

  it("triphub_is_weekend_night agrees with WEEKEND_WEEKDAYS on every weekday", async () => {
    const monday = "2026-06-01";
    const week = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const rows = (await testDb.db.execute(
      sql`select d::date::text as night, triphub_is_weekend_night(d::date) as weekend from generate_series(${monday}::date, ${week[6]!}::date, interval '1 day') d order by d`,
    )) as unknown as { night: string; weekend: boolean }[];
    expect(rows.map((r) => [r.night, r.weekend])).toEqual(week.map((d) => [d, WEEKEND_WEEKDAYS.includes(isoWeekday(d))]));
    expect(rows.map((r) => r.weekend)).toEqual(week.map(isWeekendNight));
  });

  it("no function in the database spells out the weekend weekdays but triphub_is_weekend_night", async () => {
    const rows = (await testDb.db.execute(
      sql`select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prosrc ilike '%isodow%' order by p.proname`,
    )) as unknown as { name: string }[];
    expect(rows.map((r) => r.name)).toEqual(["triphub_is_weekend_night"]);
  });
});
