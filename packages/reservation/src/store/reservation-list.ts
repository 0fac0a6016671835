// ListReservations over the read model: one party's reservations (a guest's trips, a host's
// bookings, a property's), filtered, in one of three orders, paged by keyset.
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { decodeKeysetToken, encodeKeysetToken } from "@triphub/platform/page-token";
import { isUuid } from "@triphub/platform/ids";
import type { Sealer } from "@triphub/platform/sealing";
import { and, asc, desc, eq, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import type { ReservationDb } from "./db.js";
import { openReservationData } from "./personal-data.js";
import { reservations } from "./schema.js";

/** Whose reservations: exactly one party. */
export type ListParty = { guestId: string } | { hostId: string } | { propertyId: string; hostId?: string };

export type ListOrder = "create_desc" | "check_in_asc" | "check_in_desc";

export interface ListQuery {
  party: ListParty;
  statuses: readonly number[];
  checkInFrom?: string;
  checkInTo?: string;
  order: ListOrder;
  pageSize: number;
  pageToken: string;
}

export interface ListPage {
  reservations: Reservation[];
  nextPageToken: string;
}

const METHOD = "ListReservations";

export async function listReservations(db: ReservationDb, sealer: Sealer, q: ListQuery): Promise<ListPage> {
  const t = reservations;
  const scope = JSON.stringify([q.party, [...q.statuses].sort(), q.checkInFrom ?? "", q.checkInTo ?? "", q.order]);
  const byCheckIn = q.order !== "create_desc";
  const descending = q.order !== "check_in_asc";
  const key = byCheckIn ? sql`${t.checkIn}::text` : sql`to_char(${t.createTime} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const keyColumn = byCheckIn ? t.checkIn : t.createTime;

  const where: (SQL | undefined)[] = [];
  const p = q.party;
  if ("guestId" in p) where.push(eq(t.guestId, p.guestId));
  if ("propertyId" in p) where.push(eq(t.propertyId, p.propertyId));
  if ("hostId" in p && p.hostId) where.push(eq(t.hostId, p.hostId));
  if (q.statuses.length > 0) where.push(inArray(t.status, [...q.statuses]));
  if (q.checkInFrom) where.push(gte(t.checkIn, q.checkInFrom));
  if (q.checkInTo) where.push(lte(t.checkIn, q.checkInTo));
  if (q.pageToken) {
    const [at, id] = decodeKeysetToken(q.pageToken, METHOD, scope, 2, (keys) =>
      typeof keys[0] === "string" && isUuid(keys[1]) ? ([keys[0], keys[1]] as const) : undefined,
    );
    const atValue = byCheckIn ? sql`${at}::date` : sql`${at}::timestamptz`;
    where.push(
      descending
        ? or(sql`${keyColumn} < ${atValue}`, and(sql`${keyColumn} = ${atValue}`, sql`${t.reservationId} < ${id}::uuid`))
        : or(sql`${keyColumn} > ${atValue}`, and(sql`${keyColumn} = ${atValue}`, sql`${t.reservationId} > ${id}::uuid`)),
    );
  }
  const rows = await db
    .select({ id: t.reservationId, key, data: t.data })
    .from(t)
    .where(and(...where))
    .orderBy(...(descending ? [desc(keyColumn), desc(t.reservationId)] : [asc(keyColumn), asc(t.reservationId)]))
    .limit(q.pageSize + 1);
  const page = rows.slice(0, q.pageSize);
  const last = page.at(-1);
  return {
    reservations: page.map((r) => openReservationData(sealer, r.id, r.data)),
    nextPageToken: rows.length > q.pageSize && last ? encodeKeysetToken([String(last.key), last.id], scope) : "",
  };
}
