// The demo reviews `npm start` loads: deterministic, idempotent, and published as statistics
// like any other change.
import { createLogger, type Database, openDatabase } from "@triphub/platform";
import { freshDatabase } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/index.js";
import { demoReview, type SeedProfile, type SeedStay, seedReviews } from "../src/seed/seed-reviews.js";
import type { ReviewDb } from "../src/store/db.js";
import { readStatistics } from "../src/store/statistics-store.js";

const log = createLogger({ service: "review-seed-test", level: "silent" });
let database: Database;
let db: ReviewDb;
beforeAll(async () => {
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "review_demo" });
  database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
  db = database.db as ReviewDb;
});
afterAll(() => database?.close());

const NOW = new Date("2026-12-04T09:00:00Z");
const properties = ["a", "b", "c"].map((c) => `00000000-0000-4000-8000-00000000000${c}`);
const stays: SeedStay[] = Array.from({ length: 60 }, (_, i) => ({
  reservationId: `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  guestId: `20000000-0000-4000-8000-${String(i % 7).padStart(12, "0")}`,
  hostId: "30000000-0000-4000-8000-000000000000",
  propertyId: properties[i % 3],
  roomTypeName: "Double",
  checkIn: "2026-10-01",
  checkOutAt: new Date(NOW.getTime() - (i + 2) * 86_400_000),
}));
const profiles = new Map<string, SeedProfile>(
  Array.from({ length: 7 }, (_, i) => [`20000000-0000-4000-8000-${String(i).padStart(12, "0")}`, { displayName: `R${i}`, country: "KR", locale: i % 2 ? "ko-KR" : "en-US" }]),
);
const count = async (table: string) => {
  const [r] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return r!.n;
};

describe("the demo reviews", () => {
  it("are the same on every run: same ids, ratings and text", () => {
    expect(demoReview(stays[0], profiles.get(stays[0].guestId)!, NOW)).toEqual(demoReview(stays[0], profiles.get(stays[0].guestId)!, NOW));
  });

  it("review most stays, never before check-out or in the future, in the reviewer's language", async () => {
    const { written, properties: touched } = await seedReviews(db, { stays, profiles, now: NOW });
    expect(written).toBeGreaterThan(30);
    expect(written).toBeLessThan(60);
    expect(touched).toBe(3);
    const rows = await db.execute<{ create_time: Date; language: string; author_id: string }>(sql`select create_time, language, author_id from reviews`);
    for (const r of rows) {
      expect(new Date(r.create_time).getTime()).toBeLessThan(NOW.getTime());
      expect(r.language).toBe(profiles.get(r.author_id)!.locale.slice(0, 2));
    }
    // Published as one statistics event per property, which accommodation mirrors.
    expect(await count("events")).toBe(3);
    const stats = await readStatistics(db, properties[0]);
    expect(stats.count).toBeGreaterThan(0);
    expect(stats.histogram.reduce((a, b) => a + b, 0)).toBe(stats.count);
  });

  it("adds only what is missing when run again, and skips guests without a profile", async () => {
    const before = await count("reviews");
    expect((await seedReviews(db, { stays, profiles, now: NOW })).written).toBe(0);
    const stranger = { ...stays[0], reservationId: "10000000-0000-4000-8000-999999999999", guestId: "40000000-0000-4000-8000-000000000000" };
    expect((await seedReviews(db, { stays: [stranger], profiles, now: NOW })).written).toBe(0);
    expect(await count("reviews")).toBe(before);
  });
});
