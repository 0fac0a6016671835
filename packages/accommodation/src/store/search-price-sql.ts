import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters } from "./search-filters-sql.js";
import { afterCursor, orderBy, pageSelect, priceKeys } from "./search-page-sql.js";

/*
 * Price sorts at a circle or a fuzzy destination, which have no index of room types by place
 * and price bound to walk (search-price-walk.ts does the named places and anywhere): every
 * candidate is priced, a calendar read per room type. A circle holds a few thousand
 * properties at most (a 5 km circle in Seoul at 100k: ~6,400).
 */

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
