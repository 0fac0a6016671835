// The guest's personal data at rest. The contact (name, email, phone) and the card token of a
// ReservationRequested event, and the contact in the Reservation read model, are stored sealed
// with the service's data keys (DATA_KEKS), each value bound to where it is stored: a sealed
// value copied to another reservation, another field or another table does not open. They
// are sealed in place, in the same proto fields, so the stored messages keep their form.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { type Reservation, ReservationSchema } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { SealContext, Sealer } from "@triphub/platform/sealing";

interface Contact {
  fullName: string;
  email: string;
  phone: string;
}

const CONTACT_FIELDS = ["fullName", "email", "phone"] as const;
const COLUMN: Record<(typeof CONTACT_FIELDS)[number], string> = { fullName: "full_name", email: "email", phone: "phone" };

/** The sealed fields of a ReservationRequested, as the domain event or the proto message has them. */
export interface RequestedFields {
  guestId: string;
  requestId: string;
  contact?: Contact;
  paymentMethodToken: string;
}

/**
 * The values of one record, opened. A record stored before sealing began has every value in
 * clear (the re-encrypt job seals it at the next start); once one value is sealed all are, so
 * a value in clear beside a sealed one was put there and is refused like a tampered one.
 */
function openAll(sealer: Sealer, values: readonly (readonly [string, SealContext])[]): string[] {
  if (values.every(([v]) => sealer.keyOf(v) === undefined)) return values.map(([v]) => v);
  return values.map(([v, at]) => sealer.open(v, at));
}

// The codec is not given the stream id, so an event's values are bound to the ids it carries:
// a guest's request id names exactly one reservation (reservation_requests).
const requestedAt =
  (m: RequestedFields) =>
  (field: string): SealContext => ({ table: "events", column: `ReservationRequested.${field}`, row: `${m.guestId}/${m.requestId}` });

function mapRequested<T extends RequestedFields>(m: T, values: (list: (readonly [string, SealContext])[]) => string[]): T {
  const at = requestedAt(m);
  const list: (readonly [string, SealContext])[] = [[m.paymentMethodToken, at("payment_method_token")]];
  if (m.contact) for (const f of CONTACT_FIELDS) list.push([m.contact[f], at(`contact.${COLUMN[f]}`)]);
  const [token = "", fullName = "", email = "", phone = ""] = values(list);
  return { ...m, paymentMethodToken: token, ...(m.contact && { contact: { ...m.contact, fullName, email, phone } }) };
}

/** `m` with its card token and contact sealed, as the log stores them. */
export const sealRequested = <T extends RequestedFields>(sealer: Sealer, m: T): T =>
  mapRequested(m, (list) => list.map(([v, at]) => sealer.seal(v, at)));

/** `m` as stored, with its card token and contact opened; throws a SealedValueError when one does not open. */
export const openRequested = <T extends RequestedFields>(sealer: Sealer, m: T): T => mapRequested(m, (list) => openAll(sealer, list));

const rowAt = (reservationId: string, f: (typeof CONTACT_FIELDS)[number]): SealContext => ({
  table: "reservations",
  column: `data.contact.${COLUMN[f]}`,
  row: reservationId,
});

function mapContact(reservationId: string, r: Reservation, values: (list: (readonly [string, SealContext])[]) => string[]): Reservation {
  if (!r.contact) return r;
  const c = r.contact;
  const [fullName = "", email = "", phone = ""] = values(CONTACT_FIELDS.map((f) => [c[f], rowAt(reservationId, f)] as const));
  return { ...r, contact: { ...c, fullName, email, phone } };
}

/** The read model's `data` of reservation `reservationId`: `r` with the guest's contact sealed. */
export const sealedReservationData = (sealer: Sealer, reservationId: string, r: Reservation): Uint8Array =>
  toBinary(
    ReservationSchema,
    mapContact(reservationId, r, (list) => list.map(([v, at]) => sealer.seal(v, at))),
  );

/** The Reservation the read model's `data` of `reservationId` holds, its contact opened; throws a SealedValueError when it does not open. */
export const openReservationData = (sealer: Sealer, reservationId: string, data: Uint8Array): Reservation =>
  mapContact(reservationId, fromBinary(ReservationSchema, data), (list) => openAll(sealer, list));
