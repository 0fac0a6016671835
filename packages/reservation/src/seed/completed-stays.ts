// The completed stays of the read model, in plain data: what review's demo seed writes reviews
// for (a review needs a COMPLETED reservation of its guest).
import { fromBinary } from "@bufbuild/protobuf";
import { ReservationSchema, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { Sql } from "postgres";
import { timeFromProto } from "../proto-mapping/time.js";

/** A COMPLETED reservation: who stayed where, in which room type, when. */
export interface CompletedStayRow {
  reservationId: string;
  guestId: string;
  hostId: string;
  propertyId: string;
  propertyName: string;
  roomTypeId: string;
  roomTypeName: string;
  /** YYYY-MM-DD at the property. */
  checkIn: string;
  checkOut: string;
  /** When the stay was completed (the StayCompleted event, the reservation's last change). */
  completedAt: Date;
}

/**
 * The COMPLETED reservations in reservation's database `sql` (all, or one guest's), by
 * check-in then id. They are the `reservations` rows with `status` = ReservationStatus.COMPLETED;
 * `guest_id`, `host_id`, `property_id` and `check_in` are columns, the rest is in `data` (the
 * proto Reservation).
 */
export async function listCompletedStays(sql: Sql, filter: { guestId?: string } = {}): Promise<CompletedStayRow[]> {
  const rows = await sql<{ data: Uint8Array }[]>`
    select data from reservations
    where status = ${ReservationStatus.COMPLETED} ${filter.guestId ? sql`and guest_id = ${filter.guestId}` : sql``}
    order by check_in, reservation_id`;
  return rows.map(({ data }) => {
    const r = fromBinary(ReservationSchema, data);
    return {
      reservationId: r.reservationId,
      guestId: r.guestId,
      hostId: r.hostId,
      propertyId: r.propertyId,
      propertyName: r.propertyName,
      roomTypeId: r.roomTypeId,
      roomTypeName: r.roomTypeName,
      checkIn: r.checkIn,
      checkOut: r.checkOut,
      completedAt: timeFromProto(r.updateTime) ?? new Date(0),
    };
  });
}
