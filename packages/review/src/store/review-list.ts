// ListReviews: a property's published reviews in the order asked, a page at a time (keyset).
import { decodeKeysetToken, encodeKeysetToken } from "@triphub/platform/page-token";
import { type SQL, sql } from "drizzle-orm";
import type { Review } from "../domain/review.js";
import type { ReviewDb } from "./db.js";
import { reviewOf } from "./review-rows.js";
import { reviews } from "./schema.js";

export type ReviewSort = "newest" | "oldest" | "highest" | "lowest" | "most_helpful";

export interface ReviewQuery {
  propertyId: string;
  sort: ReviewSort;
  /** Overall ratings to include; empty means all. */
  ratings: number[];
  /** BCP 47 primary tag, e.g. "ko"; "" means all. */
  language: string;
  pageSize: number;
  pageToken: string;
}

export interface ReviewPage {
  reviews: Review[];
  nextPageToken: string;
  totalSize: number;
}

interface Key {
  /** The column of the first sort key, or none (time order alone). */
  column?: "rating" | "helpful_count";
  firstDesc: boolean;
  /** Within equal first keys, by time and then id. */
  timeDesc: boolean;
}

const KEYS: Record<ReviewSort, Key> = {
  newest: { firstDesc: true, timeDesc: true },
  oldest: { firstDesc: false, timeDesc: false },
  highest: { column: "rating", firstDesc: true, timeDesc: true },
  lowest: { column: "rating", firstDesc: false, timeDesc: true },
  // Helpful counts change between pages, so a review can move across a page boundary; the
  // keyset never repeats a position but may then skip or repeat that review.
  most_helpful: { column: "helpful_count", firstDesc: true, timeDesc: true },
};

interface Cursor {
  first: number;
  at: string;
  id: string;
}

export async function listReviews(db: ReviewDb, q: ReviewQuery): Promise<ReviewPage> {
  const key = KEYS[q.sort];
  const scope = JSON.stringify([q.propertyId, q.sort, [...q.ratings].sort(), q.language]);
  const cursor = q.pageToken === "" ? undefined : decodeKeysetToken(q.pageToken, "ListReviews", scope, 3, readCursor);

  const filters: SQL[] = [sql`property_id = ${q.propertyId}::uuid`, sql`status = 'published'`];
  if (q.ratings.length > 0) filters.push(sql`rating in ${sql`(${sql.join(q.ratings.map((r) => sql`${r}`), sql`, `)})`}`);
  if (q.language !== "") filters.push(sql`(lower(language) = ${q.language.toLowerCase()} or lower(language) like ${`${q.language.toLowerCase()}-%`})`);
  const where = sql.join(filters, sql` and `);

  const first = key.column ? sql.identifier(key.column) : undefined;
  const timeDir = key.timeDesc ? sql`desc` : sql`asc`;
  const order = sql.join(
    [...(first ? [sql`${first} ${key.firstDesc ? sql`desc` : sql`asc`}`] : []), sql`create_time ${timeDir}`, sql`review_id ${timeDir}`],
    sql`, `,
  );
  const after = cursor ? afterCursor(key, cursor) : sql`true`;
  const rows = await db.select().from(reviews).where(sql`${where} and ${after}`).orderBy(order).limit(q.pageSize + 1);
  const [{ total }] = await db.execute<{ total: number }>(sql`select count(*)::int as total from reviews where ${where}`);
  const page = rows.slice(0, q.pageSize).map(reviewOf);
  const last = page[page.length - 1];
  const nextPageToken =
    rows.length > q.pageSize && last
      ? encodeKeysetToken([key.column === "rating" ? last.rating : key.column === "helpful_count" ? last.helpfulCount : 0, last.createTime.toISOString(), last.reviewId], scope)
      : "";
  return { reviews: page, nextPageToken, totalSize: total };
}

/** Rows strictly after the cursor in the sort's order. */
function afterCursor(key: Key, c: Cursor): SQL {
  const cmp = key.timeDesc ? sql`<` : sql`>`;
  const tail = sql`(create_time, review_id) ${cmp} (${c.at}::timestamptz, ${c.id}::uuid)`;
  if (!key.column) return tail;
  const col = sql.identifier(key.column);
  const beyond = key.firstDesc ? sql`${col} < ${c.first}` : sql`${col} > ${c.first}`;
  return sql`(${beyond} or (${col} = ${c.first} and ${tail}))`;
}

function readCursor([first, at, id]: unknown[]): Cursor | undefined {
  if (typeof first !== "number" || !Number.isInteger(first) || typeof at !== "string" || typeof id !== "string") return undefined;
  if (Number.isNaN(new Date(at).getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return { first, at, id };
}
