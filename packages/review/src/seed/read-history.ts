// What the review seed reads from the other services' databases (read-only, dev tooling only):
// reservation's completed stays and auth's reviewers.
import { fromBinary } from "@bufbuild/protobuf";
import { ReservationSchema, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { countryOfLocale } from "@triphub/platform";
import type postgres from "postgres";
import { stayOf } from "../proto-mapping/stay.js";
import type { SeedProfile, SeedStay } from "./seed-reviews.js";

/** Every completed stay in reservation's read model. */
export async function readCompletedStays(sql: postgres.Sql): Promise<SeedStay[]> {
  const rows = await sql<{ data: Uint8Array }[]>`select data from reservations where status = ${ReservationStatus.COMPLETED} order by reservation_id`;
  return rows.map(({ data }) => stayOf(fromBinary(ReservationSchema, data)));
}

/**
 * The public profiles of every account but `exceptId`'s (the demo guest, whose stays a
 * newcomer reviews; found by id, since auth seals emails).
 */
export async function readProfiles(sql: postgres.Sql, exceptId: string): Promise<Map<string, SeedProfile>> {
  const rows = await sql<{ id: string; display_name: string; locale: string }[]>`
    select id, display_name, locale from users where id <> ${exceptId}::uuid`;
  return new Map(rows.map((r) => [r.id, { displayName: r.display_name, locale: r.locale, country: countryOfLocale(r.locale) }]));
}
