// The re-encrypt job's steps: the records that hold the guest's personal data, moved onto the
// current data key (or sealed, when stored in clear before sealing began).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import type { ReencryptStep, Sealer } from "@triphub/platform/sealing";
import { sql } from "drizzle-orm";
import type { ReservationDb } from "./db.js";
import { openRequested, openReservationData, sealedReservationData, sealRequested } from "./personal-data.js";

// Every value of a record is sealed at once with one key, so a record on the current key holds
// its prefix and one that does not is on an older key or in clear. (Only a guest's free text
// could hold it by chance, and the id of a data key is never shown outside the database.)
const onKey = (keyId: string) => sql`convert_to(${`v1.${keyId}.`}, 'UTF8')`;

/** The steps of reservation's re-encrypt job: the ReservationRequested events and the Reservation read model. */
export function resealSteps(db: ReservationDb, sealer: Sealer): Record<string, ReencryptStep> {
  return {
    // Stored events never change, with this one exception: a ReservationRequested's sealed
    // values are sealed again under the current data key. Only the ciphertext changes, never
    // what the event says (it opens to the same contact and card token), its position, id or
    // anything a follower has seen (StreamEvents hands out neither value).
    events: (current, limit) =>
      db.transaction(async (tx) => {
        const rows = await tx.execute<{ position: string; payload: Uint8Array }>(sql`
          select position::text, payload from events
          where type = ${ReservationRequestedSchema.typeName} and position(${onKey(current)} in payload) = 0
          order by position limit ${limit} for update skip locked`);
        for (const r of rows) {
          const opened = openRequested(sealer, fromBinary(ReservationRequestedSchema, r.payload));
          const payload = toBinary(ReservationRequestedSchema, sealRequested(sealer, opened));
          await tx.execute(sql`update events set payload = ${Buffer.from(payload)} where position = ${r.position}::bigint`);
        }
        return rows.length;
      }),
    reservations: (current, limit) =>
      db.transaction(async (tx) => {
        const rows = await tx.execute<{ reservation_id: string; data: Uint8Array }>(sql`
          select reservation_id, data from reservations where position(${onKey(current)} in data) = 0
          limit ${limit} for update skip locked`);
        for (const r of rows) {
          const data = sealedReservationData(sealer, r.reservation_id, openReservationData(sealer, r.reservation_id, r.data));
          await tx.execute(sql`update reservations set data = ${Buffer.from(data)} where reservation_id = ${r.reservation_id}`);
        }
        return rows.length;
      }),
  };
}
