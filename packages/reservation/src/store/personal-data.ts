// The guest's personal data at rest. The contact (name, email, phone), the special requests (free
// text a guest may fill with anything, health included) and the card token of a
// ReservationRequested event, and the contact and special requests in the Reservation read
// model, are stored sealed with the service's data keys (DATA_KEKS), each value bound to where it
// is stored: a sealed value copied to another reservation, another field or another table does
// not open. They are sealed in place, in the same proto fields, so the stored messages keep
// their form.
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
  specialRequests: string;
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

/**
 * Special requests were sealed after the rest, so a record may hold them in clear beside a sealed
 * contact: taken as they are (the re-encrypt job seals them when it next moves the record to a
 * new data key). The exception costs only this field's integrity, never anyone's secret.
 */
const openFreeText = (sealer: Sealer, value: string, at: SealContext) => (sealer.keyOf(value) === undefined ? value : sealer.open(value, at));

/** How one record's values are turned: the bound values all at once, the free text on its own. */
interface Turn {
  bound: (list: (readonly [string, SealContext])[]) => string[];
  freeText: (value: string, at: SealContext) => string;
}
const sealing = (sealer: Sealer): Turn => ({ bound: (list) => list.map(([v, at]) => sealer.seal(v, at)), freeText: (v, at) => sealer.seal(v, at) });
const opening = (sealer: Sealer): Turn => ({ bound: (list) => openAll(sealer, list), freeText: (v, at) => openFreeText(sealer, v, at) });

function mapRequested<T extends RequestedFields>(m: T, turn: Turn): T {
  const at = requestedAt(m);
  const list: (readonly [string, SealContext])[] = [[m.paymentMethodToken, at("payment_method_token")]];
  if (m.contact) for (const f of CONTACT_FIELDS) list.push([m.contact[f], at(`contact.${COLUMN[f]}`)]);
  const [token = "", fullName = "", email = "", phone = ""] = turn.bound(list);
  const specialRequests = turn.freeText(m.specialRequests, at("special_requests"));
  return { ...m, paymentMethodToken: token, specialRequests, ...(m.contact && { contact: { ...m.contact, fullName, email, phone } }) };
}

/** `m` with its card token, contact and special requests sealed, as the log stores them. */
export const sealRequested = <T extends RequestedFields>(sealer: Sealer, m: T): T => mapRequested(m, sealing(sealer));

/** `m` as stored, with its card token, contact and special requests opened; throws a SealedValueError when one does not open. */
export const openRequested = <T extends RequestedFields>(sealer: Sealer, m: T): T => mapRequested(m, opening(sealer));

const rowAt = (reservationId: string, column: string): SealContext => ({ table: "reservations", column: `data.${column}`, row: reservationId });

function mapReservation(reservationId: string, r: Reservation, turn: Turn): Reservation {
  const specialRequests = turn.freeText(r.specialRequests, rowAt(reservationId, "special_requests"));
  if (!r.contact) return { ...r, specialRequests };
  const c = r.contact;
  const [fullName = "", email = "", phone = ""] = turn.bound(CONTACT_FIELDS.map((f) => [c[f], rowAt(reservationId, `contact.${COLUMN[f]}`)] as const));
  return { ...r, specialRequests, contact: { ...c, fullName, email, phone } };
}

/** The read model's `data` of reservation `reservationId`: `r` with the guest's contact and special requests sealed. */
export const sealedReservationData = (sealer: Sealer, reservationId: string, r: Reservation): Uint8Array =>
  toBinary(ReservationSchema, mapReservation(reservationId, r, sealing(sealer)));

/** The Reservation the read model's `data` of `reservationId` holds, opened; throws a SealedValueError when a value does not open. */
export const openReservationData = (sealer: Sealer, reservationId: string, data: Uint8Array): Reservation =>
  mapReservation(reservationId, fromBinary(ReservationSchema, data), opening(sealer));
