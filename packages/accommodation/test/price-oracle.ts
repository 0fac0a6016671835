import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../src/domain/search.js";
import type { DestinationMatch } from "../src/store/search/filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters } from "../src/store/search/filters-sql.js";
import { afterCursor, orderBy, pageSelect, priceKeys } from "../src/store/search/page-sql.js";

// The reference for the price sorts: one statement that prices every candidate at the place
// and orders them all (what the service did before it walked by price bounds).
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
