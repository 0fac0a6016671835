import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";

/*
 * What a destination text names. Exact region or city names are checked first (index
 * equality); a text naming neither is compared with every listed region and city name, so
 * "Seul" searches Seoul the fast way instead of matching every row by trigram.
 */

/** Whether a listed property is in a region, else a city, named `key` (a `destinationKey`): "region", "city" or null. */
export function destinationKindSql(key: string): SQL {
  return sql`select case
      when exists (select 1 from properties p where p.status = 'listed' and lower(p.region) = ${key}) then 'region'
      when exists (select 1 from properties p where p.status = 'listed' and lower(p.city) = ${key}) then 'city'
    end as "kind"`;
}

/** How similar (pg_trgm) a text must be to a place name to be taken for it: pg_trgm's own default ("seul" is 0.375 to "seoul"). */
export const PLACE_NAME_SIMILARITY = 0.3;

// The distinct values of lower(`column`) among listed properties, one index probe each (a
// loose index scan over the *_relevance_idx indexes): places are few, properties many.
function distinctNames(column: "city" | "region"): SQL {
  const col = sql.raw(`"${column}"`);
  return sql`with recursive names(k) as (
      (select lower(p.${col}) from properties p where p.status = 'listed' order by lower(p.${col}) limit 1)
      union all
      select (select lower(p.${col}) from properties p where p.status = 'listed' and lower(p.${col}) > n.k
              order by lower(p.${col}) limit 1)
      from names n where n.k is not null
    )
    select k from names where k is not null`;
}

/** The listed region or city name most like `key`, if one is at least PLACE_NAME_SIMILARITY alike: ("region" | "city", name) or no row. */
export function closestPlaceSql(key: string): SQL {
  return sql`select x.kind as "kind", x.k as "key" from (
      select 'region' as kind, r.k from (${distinctNames("region")}) r
      union all
      select 'city' as kind, c.k from (${distinctNames("city")}) c
    ) x
    where similarity(x.k, ${key}) >= ${PLACE_NAME_SIMILARITY}::float4
    order by similarity(x.k, ${key}) desc, x.kind = 'region' desc, x.k
    limit 1`;
}
