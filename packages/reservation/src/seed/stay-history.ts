// One demo stay's history: the commands a real booking's saga records, from CreateReservation
// to the stay completer, decided by the reservation's own decider so the events are exactly the
// ones the service would have written. Pure: the times are in the spec.
import type { Money } from "../domain/money.js";
import type { ReservationCommand } from "../domain/reservation-commands.js";
import { reservationDecider } from "../domain/reservation-decider.js";
import type { BookingRequest, ReservationEvent } from "../domain/reservation-events.js";
import type { ReservationAggregate, ReservationState } from "../domain/reservation-state.js";
import type { StayPrice } from "../domain/stay.js";
import { checkOutInstant } from "../domain/stay-times.js";
import type { CatalogueProperty, CatalogueRoomType } from "./catalogue.js";
import type { SeedGuest } from "./guests.js";
import { rngFor } from "./random.js";

/** A stay to record: who, where, when, and the ids the other services would have given. */
export interface StaySpec {
  reservationId: string;
  requestId: string;
  guest: SeedGuest;
  property: CatalogueProperty;
  roomType: CatalogueRoomType;
  checkIn: string;
  checkOut: string;
  adults: number;
  children: number;
  /** When the guest called CreateReservation. */
  bookedAt: Date;
  /** Accommodation's hold and payment's payment: synthetic, neither service has them. */
  holdId: string;
  paymentId: string;
}

/** A completed stay's events (each with its time) and the state they fold to. */
export interface CompletedStay {
  reservationId: string;
  request: BookingRequest;
  events: ReservationEvent[];
  state: ReservationAggregate;
}

const DAY_MS = 86_400_000;
/** Accommodation's default hold (HOLD_TTL there). */
const HOLD_TTL_MS = 15 * 60_000;
/** Reservation's default STAY_COMPLETION_INTERVAL_MS: a stay completes within a minute of check-out. */
const COMPLETION_INTERVAL_MS = 60_000;

/** The nights from check-in up to check-out (exclusive). */
export function nightsBetween(checkIn: string, checkOut: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${checkIn}T00:00:00Z`); t < Date.parse(`${checkOut}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * What accommodation quotes for the nights: the weekend price on Friday and Saturday nights
 * (when the room type has one), else the base price. The catalogue's calendar starts today, so
 * past nights have no overrides.
 */
export function stayPrice(rt: CatalogueRoomType, nights: readonly string[], currency: string, units = 1): StayPrice {
  const m = (amountMinor: bigint): Money => ({ amountMinor, currency });
  const perNight = nights.map((date) => {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekend = (weekday === 5 || weekday === 6) && rt.weekendPriceMinor !== undefined;
    return { date, price: m(weekend ? rt.weekendPriceMinor! : rt.basePriceMinor) };
  });
  const total = perNight.reduce((s, n) => s + n.price.amountMinor, 0n) * BigInt(units);
  const count = BigInt(nights.length * units);
  return { nights: perNight, units, total: m(total), averageNightly: m(count === 0n ? 0n : total / count) };
}

/**
 * Runs the booking's commands through the decider at the times a real saga takes (fractions of
 * a second apart) and completes the stay within a minute of its check-out. Throws when a step
 * decides anything but the one event a successful booking records: the decider's rules changed
 * and the seed must follow them.
 */
export function completedStay(s: StaySpec): CompletedStay {
  const r = rngFor(s.reservationId);
  const p = s.property;
  const price = stayPrice(s.roomType, nightsBetween(s.checkIn, s.checkOut), p.currency);
  const request: BookingRequest = {
    requestId: s.requestId,
    guestId: s.guest.id,
    propertyId: p.id,
    roomTypeId: s.roomType.id,
    checkIn: s.checkIn,
    checkOut: s.checkOut,
    guests: { adults: s.adults, children: s.children },
    units: 1,
    contact: { fullName: s.guest.fullName, email: s.guest.email, phone: "" },
    specialRequests: "",
    // The payment sandbox's card: what the README books with.
    paymentMethodToken: "tok_visa",
    expectedTotal: price.total,
  };
  const held = new Date(s.bookedAt.getTime() + 80 + Math.floor(r() * 300));
  const authorized = new Date(held.getTime() + 150 + Math.floor(r() * 600));
  const confirmed = new Date(authorized.getTime() + 100 + Math.floor(r() * 300));
  const steps: [ReservationCommand, Date, ReservationEvent["type"]][] = [
    [{ type: "Request", reservationId: s.reservationId, requested: request }, s.bookedAt, "ReservationRequested"],
    [
      {
        type: "RecordHold",
        hold: {
          holdId: s.holdId,
          hostId: p.hostId,
          propertyName: p.name,
          roomTypeName: s.roomType.name,
          price,
          cancellationPolicy: p.cancellationPolicy,
          timeZone: p.timeZone,
          checkInTime: p.checkInTime,
          checkOutTime: p.checkOutTime,
          holdExpiresAt: new Date(held.getTime() + HOLD_TTL_MS),
        },
      },
      held,
      "RoomsHeld",
    ],
    [{ type: "RecordAuthorization", paymentId: s.paymentId, amount: price.total }, authorized, "PaymentAuthorized"],
    [{ type: "Confirm", paymentId: s.paymentId, captured: price.total }, confirmed, "ReservationConfirmed"],
  ];
  let state: ReservationState;
  const events: ReservationEvent[] = [];
  const apply = (command: ReservationCommand, at: Date, expected: ReservationEvent["type"]) => {
    const decided = reservationDecider.decide(command, state, at);
    if (decided.length !== 1 || decided[0].type !== expected) {
      throw new Error(`demo stay ${s.reservationId}: ${command.type} decided [${decided.map((e) => e.type).join(", ")}], not ${expected}`);
    }
    events.push(decided[0]);
    state = reservationDecider.evolve(state, decided[0]);
  };
  for (const [command, at, expected] of steps) apply(command, at, expected);
  const ended = checkOutInstant(state!.reservation).getTime();
  apply({ type: "Complete" }, new Date(ended + Math.floor(r() * COMPLETION_INTERVAL_MS)), "StayCompleted");
  return { reservationId: s.reservationId, request, events, state: state! };
}
