import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import type { AccommodationDb } from "./db.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters } from "./search-filters-sql.js";
import { afterCursor, orderBy, pageSelect, priceKeys } from "./search-page-sql.js";
import { cursorTotal, reachesSql, stayBoundsSql } from "./search-price-walk.js";

/*
 * Price sorts at a circle or a fuzzy destination, which have no index of room types by place
 * and price bound to walk (search-price-walk.ts does the named places and anywhere). A circle
 * holds a few thousand properties at most (a 5 km circle in Seoul at 100k: ~6,400).
 *
 * First try: rank every candidate by its stay bound (room types' weekday bounds, no calendar
 * read) and price only the first few pages' worth in that order. When the page's last row beats
 * the bound of the first candidate left unpriced, nothing further can enter the page and that
 * page is the answer; otherwise (many of the cheapest sold out or filtered away) price every
 * candidate (`pricedPageSql`).
 */

/** Candidates priced by the first try, per result on the page. */
const HEAD_PER_RESULT = 4;

/** The first try: the page from the `head` candidates first in bound order, with what decides whether it stands. */
function boundedPageSql(q: SearchQuery, match: DestinationMatch, now: Date, head: number): SQL {
  const desc = q.sort === "price_desc";
  const id = sql`c.id`;
  const b = stayBoundsSql(q, sql`p.id`);
  const where = [...placeFilters(q, match), ...attributeFilters(q, now)];
  const cursor = cursorTotal(q);
  // Wholly before the cursor: never on this page, so not even ranked.
  if (cursor !== undefined) where.push(reachesSql(q, sql`p.id`, undefined, cursor));
  return sql`with cand as (
      select p.id, p.amenities, ${distanceExpr(q)} as distance_km, ${desc ? b.highest : b.lowest} as sb
      from properties p
      where ${allOf(where)}
    ),
    ranked as (
      select c.*, row_number() over (order by c.sb ${sql.raw(desc ? "desc" : "asc")} nulls last, c.id) as rn, count(*) over () as n
      from cand c
    ),
    keyed as (
      select c.*, b.room_type_id, b.unit_total, b.remaining, ${priceKeys(q.sort, "b").k1} as k1, 0::float8 as k2,
        count(*) over () as offers
      from ranked c cross join lateral (${bestOfferSql(q, "c")}) b
      where c.rn <= ${head}::int
    ),
    m as (
      select c.* from keyed c where ${afterCursor(q, priceKeys(q.sort, "c"), id)}
      order by ${orderBy(priceKeys(q.sort, "c"), id)}
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`m.n::int as "candidates", m.offers::int as "offers", (select r.sb from ranked r where r.rn = ${head + 1}::int) as "nextBound"`)}`;
}

/** The columns of a first-try row that decide whether it stands (the others are the page's). */
interface BoundedRow {
  unitTotal: number;
  candidates?: number;
  offers?: number;
  nextBound?: number | null;
  totalSize?: number;
}

/** One page of a price sort at a circle or fuzzy destination: the first try, else every candidate priced. */
export async function pricedPage<Row extends BoundedRow>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date): Promise<Row[]> {
  const want = q.pageSize + 1;
  const head = HEAD_PER_RESULT * want;
  const rows = (await db.execute(boundedPageSql(q, match, now, head))) as unknown as Row[];
  const first = rows[0];
  const last = rows.at(-1);
  if (first !== undefined && last !== undefined) {
    // No candidate left unpriced, or the first one left cannot beat the page's last row (ties may, by id).
    const next = first.nextBound ?? null;
    const offers = first.offers ?? rows.length;
    const done = next === null || rows.length < want ? next === null : q.sort === "price_desc" ? last.unitTotal > next : last.unitTotal < next;
    if (done) {
      first.totalSize = next === null ? offers : Math.max(offers, Math.round(((first.candidates ?? 0) * offers) / head));
      return rows;
    }
  }
  return (await db.execute(pricedPageSql(q, match, now))) as unknown as Row[];
}

/** Every candidate priced, ordered by price; counts exactly (`totalSize`). */
export function pricedPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const id = sql`c.id`;
  return sql`with cand as (
      select p.id, p.amenities, ${distanceExpr(q)} as distance_km
      from properties p
      where ${allOf([...placeFilters(q, match), ...attributeFilters(q, now)])}
    ),
    keyed as (
      select c.*, b.room_type_id, b.unit_total, b.remaining, ${priceKeys(q.sort, "b").k1} as k1, 0::float8 as k2,
        count(*) over () as total_size
      from cand c cross join lateral (${bestOfferSql(q, "c")}) b
    ),
    m as (
      select c.* from keyed c where ${afterCursor(q, priceKeys(q.sort, "c"), id)}
      order by ${orderBy(priceKeys(q.sort, "c"), id)}
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`m.total_size::int as "totalSize"`)}`;
}
