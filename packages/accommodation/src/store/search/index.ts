/*
 * Guest search in SQL: how a SearchAccommodations request becomes statements. Every file named
 * here is in this folder unless a path says otherwise.
 *
 * 1. The request is checked into a `SearchQuery` (proto-mapping/search.ts, domain/search.ts
 *    `parseSearch`): dates, party and units, the place, filters, sort and cursor.
 * 2. Destination (destination-sql.ts, search-store.ts `resolveDestination`): a text naming a
 *    listed region or city is matched by index equality ("region", "city"), a text close to
 *    one such name is taken for it, and anything else is "fuzzy" (substring, trigram, full text).
 *    Circles and "anywhere" need no resolving.
 * 3. Filters and the offer (filters-sql.ts): `placeFilters` (the place), `attributeFilters`
 *    (country, type, rating, currency, free cancellation, check-in not past where the property is),
 *    `fitsSql` (the party fits a room type), and `bestOfferSql`: a property's cheapest room type
 *    that fits, is free every night and passes the nightly price filter, its nights priced as
 *    domain/night-price.ts prices them (night-price-sql.ts).
 * 4. The page, by sort:
 *    - relevance, rating, distance: one statement (property-sort-sql.ts) ranks the properties
 *      at the place (walking an index in order where one serves it) and looks up offers down
 *      that order until the page is full.
 *    - price, cheapest first at a named region or city or anywhere: the floor walk
 *      (floor-walk.ts `floorWalkPage`) follows the room-type index by place and floor, cheapest
 *      first, pricing the properties it meets.
 *    - price, dearest first anywhere, and both price sorts at a circle or fuzzy destination:
 *      the ranked walk (ranked-walk.ts `rankedWalkPage`) ranks candidates by bound first and
 *      walks that list. Dearest first at a place ranks only the room types whose ceiling can
 *      reach a threshold set by the first few hundred (read from the ceiling index), further
 *      only when the walk gets past them.
 *    Both price walks drive one loop (price-walk.ts `walkPage`): it stops once no property
 *    further on can beat the page's last row, and skips pricing what cannot make the page.
 * 5. The page's columns, sort keys and cursor: page-sql.ts.
 *
 * "Price bounds" means one thing here: the room-type price bounds, columns the database keeps
 * on room_types (price_floor_minor, weekday_floor_minor, weekend_floor_minor,
 * price_ceiling_minor, premium_nights) through refresh_room_type_price_bounds(), called in the
 * transaction of every price write (store/inventory-sql.ts `refreshRoomTypePriceBounds`, the
 * seed's bulk load). stay-bounds-sql.ts turns them into bounds on a stay (`stayFloorSql`,
 * `stayCeilingSql`). The guest's min and max nightly price is the nightly price filter
 * (filters-sql.ts), a different thing.
 *
 * Migrations are never edited, so their comments keep these files' former names:
 * store/search-sql.ts is property-sort-sql.ts; search-filters-sql.ts is filters-sql.ts;
 * search-page-sql.ts is page-sql.ts; search-price-bounds.ts is stay-bounds-sql.ts;
 * search-price-walk.ts is price-walk.ts and floor-walk.ts; search-price-sql.ts is
 * ranked-walk.ts; store/destination-sql.ts and store/night-price-sql.ts are here.
 *
 * The search's SQL functions, and the migration that holds the definition the database runs
 * today (a later migration re-creates a function with CREATE OR REPLACE, so the first one is
 * not the current one; test/sql-functions.test.ts fails when this list falls behind):
 *   triphub_is_weekend_night         drizzle/0011_weekend_rule.sql
 *   refresh_room_type_price_bounds   drizzle/0011_weekend_rule.sql
 *   room_types_copy_place            drizzle/0007_weekend_floor.sql
 *   properties_place_to_room_types   drizzle/0005_price_walk.sql
 */

export type { PropertySummary, SearchHit, SearchOffer, SearchPage, SearchStore } from "./search-store.js";
export { createSearchStore } from "./search-store.js";
