// The party and its contact both ways: domain <-> triphub.common.v1.Guests and GuestContact.
// A message the contract requires but a stored event lacks reads as empty, as protobuf would.
import { create } from "@bufbuild/protobuf";
import { type Guests as ProtoGuests, GuestsSchema } from "@triphub/contracts/triphub/common/v1/stay_pb";
import { type GuestContact as ProtoContact, GuestContactSchema } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { GuestContact, Guests } from "../domain/stay.js";

/** The party in the contract's form. */
export const toProtoGuests = (g: Guests): ProtoGuests => create(GuestsSchema, { adults: g.adults, children: g.children });

/** The party a request or an event names. */
export const guestsFromProto = (g: ProtoGuests | undefined): Guests => ({ adults: g?.adults ?? 0, children: g?.children ?? 0 });

/** The guest's contact in the contract's form. */
export const toProtoContact = (c: GuestContact): ProtoContact =>
  create(GuestContactSchema, { fullName: c.fullName, email: c.email, phone: c.phone });

/** The guest's contact a request or an event names. */
export const contactFromProto = (c: ProtoContact | undefined): GuestContact => ({
  fullName: c?.fullName ?? "",
  email: c?.email ?? "",
  phone: c?.phone ?? "",
});
