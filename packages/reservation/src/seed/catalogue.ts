// What the demo history books: the listed properties and room types of accommodation's
// database, read once by the seed (a dev tool; the service itself only calls accommodation).
import { type CancellationPolicy, isCancellationPolicy } from "@triphub/platform/stay-rules";
import type { Sql } from "postgres";

/** A room type as a booking of it snapshots it. */
export interface CatalogueRoomType {
  id: string;
  name: string;
  maxAdults: number;
  maxChildren: number;
  unitCount: number;
  basePriceMinor: bigint;
  /** Friday and Saturday nights; the base price when undefined. */
  weekendPriceMinor: bigint | undefined;
}

/** A listed property with what a hold snapshots: host, names, terms, local times. */
export interface CatalogueProperty {
  id: string;
  hostId: string;
  name: string;
  timeZone: string;
  checkInTime: string;
  checkOutTime: string;
  currency: string;
  cancellationPolicy: CancellationPolicy;
  roomTypes: CatalogueRoomType[];
}

interface PropertyRow {
  id: string;
  owner_id: string;
  name: string;
  time_zone: string;
  check_in_time: string;
  check_out_time: string;
  currency: string;
  cancellation_policy: string;
  room_types: { id: string; name: string; max_adults: number; max_children: number; unit_count: number; base: string; weekend: string | null }[];
}

/** The listed properties with at least one room type that has units, by id. */
export async function readCatalogue(sql: Sql): Promise<CatalogueProperty[]> {
  const rows = await sql<PropertyRow[]>`
    select p.id, p.owner_id, p.name, p.time_zone, p.check_in_time, p.check_out_time, p.currency, p.cancellation_policy,
           json_agg(json_build_object('id', rt.id, 'name', rt.name, 'max_adults', rt.max_adults, 'max_children', rt.max_children,
                    'unit_count', rt.unit_count, 'base', rt.base_price_minor::text, 'weekend', rt.weekend_price_minor::text)
                    order by rt.id) as room_types
    from properties p join room_types rt on rt.property_id = p.id
    where p.status = 'listed' and rt.unit_count > 0
    group by p.id
    order by p.id`;
  return rows
    .filter((p) => isCancellationPolicy(p.cancellation_policy))
    .map((p) => ({
      id: p.id,
      hostId: p.owner_id,
      name: p.name,
      timeZone: p.time_zone,
      checkInTime: p.check_in_time,
      checkOutTime: p.check_out_time,
      currency: p.currency,
      cancellationPolicy: p.cancellation_policy as CancellationPolicy,
      roomTypes: p.room_types.map((rt) => ({
        id: rt.id,
        name: rt.name,
        maxAdults: rt.max_adults,
        maxChildren: rt.max_children,
        unitCount: rt.unit_count,
        basePriceMinor: BigInt(rt.base),
        weekendPriceMinor: rt.weekend === null ? undefined : BigInt(rt.weekend),
      })),
    }));
}
