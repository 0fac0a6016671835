-- The weekend rule in one place in SQL: Friday and Saturday nights (ISO weekdays 5 and 6) take
-- a room type's weekend price, as WEEKEND_WEEKDAYS in domain/night-price.ts says for the code
-- (test/sql-functions.test.ts checks that the two agree). 0007 and 0008 wrote the weekdays
-- into refresh_room_type_price_bounds(); it is re-created here to ask this function instead,
-- with the same result, so its bounds need no refresh. A plain SQL expression, so the planner
-- inlines it where it is called. Which migration holds each function's current definition:
-- store/search/index.ts.
CREATE OR REPLACE FUNCTION "triphub_is_weekend_night"(night date) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT extract(isodow from night) IN (5, 6)
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  UPDATE room_types rt
     SET weekday_floor_minor = b.weekday_floor, weekend_floor_minor = b.weekend_floor,
         price_floor_minor = least(b.weekday_floor, b.weekend_floor), price_ceiling_minor = b.ceiling,
         premium_nights = b.premium
    FROM (SELECT r.id,
                 least(r.base_price_minor, min(i.price_override_minor) FILTER (WHERE NOT triphub_is_weekend_night(i.night))) AS weekday_floor,
                 least(coalesce(r.weekend_price_minor, r.base_price_minor), min(i.price_override_minor) FILTER (WHERE triphub_is_weekend_night(i.night))) AS weekend_floor,
                 greatest(r.base_price_minor, r.weekend_price_minor, max(i.price_override_minor)) AS ceiling,
                 coalesce(range_agg(daterange(i.night, i.night + 1)) FILTER (WHERE i.price_override_minor >
                   CASE WHEN triphub_is_weekend_night(i.night) THEN coalesce(r.weekend_price_minor, r.base_price_minor) ELSE r.base_price_minor END),
                   '{}'::datemultirange) AS premium
            FROM room_types r
            LEFT JOIN inventory i ON i.room_type_id = r.id AND i.night >= today - 2 AND i.price_override_minor IS NOT NULL
           WHERE ids IS NULL OR r.id = ANY (ids)
           GROUP BY r.id) b
   WHERE rt.id = b.id
     AND (rt.weekday_floor_minor, rt.weekend_floor_minor, rt.price_floor_minor, rt.price_ceiling_minor, rt.premium_nights) IS DISTINCT FROM
         (b.weekday_floor, b.weekend_floor, least(b.weekday_floor, b.weekend_floor), b.ceiling, b.premium)
$$;
