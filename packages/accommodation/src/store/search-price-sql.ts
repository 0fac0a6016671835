import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import type { AccommodationDb } from "./db.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters } from "./search-filters-sql.js";
import { pastCursorSql, sortBoundSql } from "./search-price-bounds.js";
import { type NextSteps, type WalkStep, walkPage } from "./search-price-walk.js";

/*
 * Price sorts at a circle or a fuzzy destination, which have no index of room types by place
 * to walk (search-price-walk.ts does the named places and anywhere). Their candidates, a few
 * thousand at most (a 5 km circle in Seoul at 100k: ~6,400), are ranked by their bound first,
 * from the room types alone (no calendar read), and the walk goes down that list.
 */

interface Ranked {
  propertyId: string;
  bound: number;
  distanceKm: number;
}

/** Every candidate that can still make a page of `q`, in bound order. */
function rankedSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const where = [...placeFilters(q, match), ...attributeFilters(q, now)];
  // Wholly before the cursor: never on this page.
  const pastCursor = pastCursorSql(q, sql`p.id`);
  if (pastCursor !== undefined) where.push(pastCursor);
  return sql`select c.* from (
      select p.id as "propertyId", ${sortBoundSql(q, sql`p.id`)} as "bound", ${distanceExpr(q)} as "distanceKm"
      from properties p
      where ${allOf(where)}
    ) c
    where c."bound" is not null
    order by c."bound" ${sql.raw(q.sort === "price_desc" ? "desc" : "asc")}, c."propertyId"`;
}

/** The best offers of `ids` (one row each, nulls for none). */
function offersSql(q: SearchQuery, ids: readonly string[]): SQL {
  return sql`select c.id as "propertyId", b.room_type_id as "roomTypeId", b.unit_total::float8 as "unitTotal", b.remaining::int as "remaining"
    from unnest(string_to_array(${ids.join(",")}, ',')::uuid[]) as c(id)
    join properties p on p.id = c.id
    left join lateral (${bestOfferSql(q, "p")}) b on true`;
}

/** One page of a price sort at a circle or fuzzy destination. */
export async function pricedPage<Row>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date): Promise<Row[]> {
  const ranked = (await db.execute(rankedSql(q, match, now))) as unknown as Ranked[];
  const sign = q.sort === "price_desc" ? -1 : 1;
  let at = 0;
  const next: NextSteps = async (limit, pageEnd) => {
    const batch = ranked.slice(at, at + limit);
    at += batch.length;
    // Beyond the page's last row: not worth a calendar read (ties may still enter by id).
    const priced = batch.filter((r) => pageEnd === undefined || sign * r.bound <= sign * pageEnd);
    const offers = priced.length === 0 ? [] : ((await db.execute(offersSql(q, priced.map((r) => r.propertyId)))) as unknown as Pick<WalkStep, "propertyId" | "roomTypeId" | "unitTotal" | "remaining">[]);
    const byId = new Map(offers.map((o) => [o.propertyId, o]));
    return batch.map((r) => {
      const o = byId.get(r.propertyId);
      return { ...r, skipped: o === undefined, roomTypeId: o?.roomTypeId ?? null, unitTotal: o?.unitTotal ?? null, remaining: o?.remaining ?? null };
    });
  };
  return walkPage<Row>(db, q, next, async () => ranked.length);
}
