// The reservation's decider: `decide` turns a command into events (or refuses it), `evolve`
// folds an event into the state. Pure: no I/O, no clock (`now` is passed in). The saga's
// commands report what another service already did; they are facts, so they are recorded even
// when the reservation moved on meanwhile (a cancellation raced the saga): the state then
// knows what is left to undo.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Hold } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { type Money, MoneySchema } from "@triphub/contracts/triphub/common/v1/money_pb";
import {
  PaymentAuthorizedSchema,
  PaymentVoidedSchema,
  RefundFailedSchema,
  RefundIssuedSchema,
  ReservationCancelledSchema,
  ReservationConfirmedSchema,
  ReservationFailedSchema,
  type ReservationRequested,
  ReservationRequestedSchema,
  RoomsHeldSchema,
  RoomsReleasedSchema,
  StayCompletedSchema,
} from "@triphub/contracts/triphub/reservation/v1/events_pb";
import {
  CancellationActor,
  CancellationSchema,
  type CancellationReason,
  FailureReason,
  RefundStatus,
  type Reservation,
  ReservationSchema,
  ReservationStatus,
} from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { Decider } from "@triphub/platform/events";
import { DomainError } from "@triphub/platform/domain-error";
import { freeCancellationUntil, refundOnCancel, stayHasBegun } from "./cancellation-terms.js";
import type { ReservationEvent, ReservationEventPayload } from "./reservation-events.js";
import { nightsOf } from "./stay-dates.js";
import { stayHasEnded } from "./stay-times.js";

/** What the saga must know and the read model does not show. */
export interface SagaFacts {
  /** To authorize after a restart; never shown. */
  paymentMethodToken: string;
  expectedTotal: Money | undefined;
  /** The hold, once accommodation reported it; "" before. */
  holdId: string;
  /** Rooms went back on sale (or there was nothing to release). */
  roomsReleased: boolean;
  /** A hold may exist that was never reported (a hold call's answer was lost). */
  holdUnknown: boolean;
  /** The payment, once payment reported it; "" before. */
  paymentId: string;
  /** The payment needs nothing more from a compensation (voided, or never authorized). */
  paymentSettled: boolean;
  /** A payment may exist that was never reported (an authorization's answer was lost). */
  paymentUnknown: boolean;
  capturedMinor: bigint;
  refundedMinor: bigint;
  /** A cancellation's refund that is owed and not yet issued or given up. */
  refundOwed: Money | undefined;
}

/** A reservation as its events leave it: the read model and the saga's own facts. */
export interface ReservationAggregate {
  reservation: Reservation;
  saga: SagaFacts;
}

/** Nothing before the first event. */
export type ReservationState = ReservationAggregate | undefined;

/** The statuses of a booking still in its saga. */
export const IN_SAGA: ReadonlySet<ReservationStatus> = new Set([
  ReservationStatus.REQUESTED,
  ReservationStatus.ROOMS_HELD,
  ReservationStatus.PAYMENT_AUTHORIZED,
]);

/** Hold refusals that mean no hold was made, so there is nothing to release. */
const DEFINITE_HOLD_REFUSALS: ReadonlySet<FailureReason> = new Set([
  FailureReason.ROOMS_UNAVAILABLE,
  FailureReason.STAY_RESTRICTED,
  FailureReason.OCCUPANCY_EXCEEDED,
  FailureReason.PROPERTY_NOT_BOOKABLE,
]);

// --- commands --------------------------------------------------------------------------

export type ActorKind = "guest" | "host" | "admin";

export type ReservationCommand =
  | { type: "Request"; reservationId: string; requested: ReservationRequested }
  | { type: "RecordHold"; hold: Hold }
  | { type: "RecordAuthorization"; paymentId: string; amount: Money }
  | { type: "Confirm"; paymentId: string; captured: Money }
  | { type: "Fail"; reason: FailureReason; message: string }
  | { type: "RecordVoid"; paymentId: string }
  | { type: "RecordRelease"; holdId: string }
  | { type: "Cancel"; actor: ActorKind; actorId: string; reason: CancellationReason; note: string }
  | { type: "RecordRefund"; paymentId: string; refundId: string; amount: Money }
  | { type: "RecordRefundFailure"; paymentId: string; message: string }
  | { type: "Complete" };

const money = (amountMinor: bigint, currencyCode: string) => create(MoneySchema, { amountMinor, currencyCode });
const ev = (at: Date, payload: ReservationEventPayload): ReservationEvent => ({ at, payload });

function decide(command: ReservationCommand, state: ReservationState, now: Date): ReservationEvent[] {
  if (command.type === "Request") {
    return state ? [] : [ev(now, create(ReservationRequestedSchema, command.requested))];
  }
  if (!state) throw new DomainError("not_found", "reservation not found");
  const { reservation: r, saga } = state;
  const inSaga = IN_SAGA.has(r.status);
  switch (command.type) {
    case "RecordHold": {
      if (saga.holdId !== "" && !saga.roomsReleased) return [];
      const h = command.hold;
      const held = ev(
        now,
        create(RoomsHeldSchema, {
          holdId: h.holdId,
          hostId: h.hostId,
          propertyName: h.propertyName,
          roomTypeName: h.roomTypeName,
          price: h.price,
          cancellationPolicy: h.cancellationPolicy,
          timeZone: h.timeZone,
          checkInTime: h.checkInTime,
          checkOutTime: h.checkOutTime,
          holdExpireTime: h.expireTime,
        }),
      );
      const total = h.price?.total;
      const expected = saga.expectedTotal;
      if (r.status !== ReservationStatus.REQUESTED || !expected || !total) return [held];
      if (expected.amountMinor === total.amountMinor && expected.currencyCode === total.currencyCode) return [held];
      const message = `the price is now ${total.amountMinor} ${total.currencyCode}, not the ${expected.amountMinor} ${expected.currencyCode} expected`;
      return [held, failed(now, FailureReason.PRICE_CHANGED, message, ReservationStatus.ROOMS_HELD)];
    }
    case "RecordAuthorization":
      if (saga.paymentId === command.paymentId) return [];
      return [ev(now, create(PaymentAuthorizedSchema, { paymentId: command.paymentId, amount: command.amount }))];
    case "Confirm": {
      if (r.status !== ReservationStatus.PAYMENT_AUTHORIZED) return [];
      const until = freeCancellationUntil(r, now);
      return [
        ev(
          now,
          create(ReservationConfirmedSchema, {
            paymentId: command.paymentId,
            capturedAmount: command.captured,
            freeCancellationUntil: until && timestampFromDate(until),
          }),
        ),
      ];
    }
    case "Fail":
      return inSaga ? [failed(now, command.reason, command.message, r.status)] : [];
    case "RecordVoid": {
      const known = command.paymentId !== "" && command.paymentId === saga.paymentId;
      if (known ? saga.paymentSettled : !saga.paymentUnknown) return [];
      return [ev(now, create(PaymentVoidedSchema, { paymentId: command.paymentId }))];
    }
    case "RecordRelease":
      return saga.roomsReleased ? [] : [ev(now, create(RoomsReleasedSchema, { holdId: command.holdId }))];
    case "Cancel":
      return cancel(command, state, now);
    case "RecordRefund":
      return [ev(now, create(RefundIssuedSchema, { paymentId: command.paymentId, refundId: command.refundId, amount: command.amount }))];
    case "RecordRefundFailure":
      return [ev(now, create(RefundFailedSchema, { paymentId: command.paymentId, message: command.message }))];
    case "Complete":
      return r.status === ReservationStatus.CONFIRMED && stayHasEnded(r, now) ? [ev(now, create(StayCompletedSchema))] : [];
  }
}

function failed(at: Date, reason: FailureReason, message: string, failedStatus: ReservationStatus): ReservationEvent {
  return ev(at, create(ReservationFailedSchema, { reason, message, failedStatus }));
}

const ACTORS: Record<ActorKind, CancellationActor> = {
  guest: CancellationActor.GUEST,
  host: CancellationActor.HOST,
  admin: CancellationActor.ADMIN,
};

/** The events of a cancellation, or why it is refused. */
function cancel(c: Extract<ReservationCommand, { type: "Cancel" }>, state: ReservationAggregate, now: Date): ReservationEvent[] {
  const r = state.reservation;
  if (r.status === ReservationStatus.CANCELLED) return [];
  if (r.status === ReservationStatus.FAILED) {
    throw new DomainError("precondition", "a failed booking cannot be cancelled: nothing is booked or charged", { reason: "RESERVATION_FAILED" });
  }
  if (r.status === ReservationStatus.COMPLETED || (r.status === ReservationStatus.CONFIRMED && stayHasBegun(r, now))) {
    throw new DomainError("precondition", "the stay has already begun; contact the host or support", { reason: "STAY_BEGUN" });
  }
  const currency = r.price?.total?.currencyCode ?? "";
  const refund =
    r.status === ReservationStatus.CONFIRMED
      ? refundOnCancel(r, { actor: c.actor, at: now, capturedMinor: state.saga.capturedMinor }).amount
      : money(0n, currency);
  return [
    ev(
      now,
      create(ReservationCancelledSchema, {
        cancelledBy: ACTORS[c.actor],
        actorId: c.actorId,
        reason: c.reason,
        note: c.note,
        refundAmount: refund,
      }),
    ),
  ];
}

// --- evolve ----------------------------------------------------------------------------

function evolve(state: ReservationState, event: ReservationEvent): ReservationState {
  const { at, payload: p } = event;
  if (p.$typeName === "triphub.reservation.v1.ReservationRequested") return requested(p, at);
  if (!state) return state;
  const r = { ...state.reservation, version: state.reservation.version + 1n, updateTime: timestampFromDate(at) };
  const saga = { ...state.saga };
  switch (p.$typeName) {
    case "triphub.reservation.v1.RoomsHeld":
      Object.assign(r, {
        hostId: p.hostId,
        propertyName: p.propertyName,
        roomTypeName: p.roomTypeName,
        price: p.price,
        cancellationPolicy: p.cancellationPolicy,
        timeZone: p.timeZone,
        checkInTime: p.checkInTime,
        checkOutTime: p.checkOutTime,
      });
      if (r.status === ReservationStatus.REQUESTED) r.status = ReservationStatus.ROOMS_HELD;
      Object.assign(saga, { holdId: p.holdId, roomsReleased: false, holdUnknown: false });
      break;
    case "triphub.reservation.v1.PaymentAuthorized":
      r.paymentId = p.paymentId;
      if (r.status === ReservationStatus.ROOMS_HELD) r.status = ReservationStatus.PAYMENT_AUTHORIZED;
      Object.assign(saga, { paymentId: p.paymentId, paymentSettled: false, paymentUnknown: false });
      break;
    case "triphub.reservation.v1.ReservationConfirmed":
      Object.assign(r, {
        status: ReservationStatus.CONFIRMED,
        confirmTime: timestampFromDate(at),
        freeCancellationUntil: p.freeCancellationUntil,
      });
      saga.capturedMinor = p.capturedAmount?.amountMinor ?? 0n;
      saga.paymentSettled = true;
      break;
    case "triphub.reservation.v1.ReservationFailed":
      Object.assign(r, { status: ReservationStatus.FAILED, failureReason: p.reason, failureMessage: p.message });
      stopSaga(saga, p.failedStatus, p.reason);
      break;
    case "triphub.reservation.v1.PaymentVoided":
      // An empty id records that a lookup found no payment to void.
      if (p.paymentId === "" || p.paymentId === saga.paymentId) saga.paymentUnknown = false;
      if (p.paymentId === saga.paymentId) saga.paymentSettled = true;
      break;
    case "triphub.reservation.v1.RoomsReleased":
      Object.assign(saga, { roomsReleased: true, holdUnknown: false });
      break;
    case "triphub.reservation.v1.ReservationCancelled": {
      const owed = p.refundAmount && p.refundAmount.amountMinor > 0n ? p.refundAmount : undefined;
      r.cancellation = create(CancellationSchema, {
        cancelledBy: p.cancelledBy,
        actorId: p.actorId,
        reason: p.reason,
        note: p.note,
        refundAmount: p.refundAmount,
        refundStatus: owed ? RefundStatus.PENDING : RefundStatus.NOT_REQUIRED,
        cancelTime: timestampFromDate(at),
      });
      if (IN_SAGA.has(r.status)) stopSaga(saga, r.status, FailureReason.UNSPECIFIED);
      else saga.roomsReleased = false;
      r.status = ReservationStatus.CANCELLED;
      saga.refundOwed = owed;
      break;
    }
    case "triphub.reservation.v1.RefundIssued": {
      saga.refundedMinor += p.amount?.amountMinor ?? 0n;
      saga.refundOwed = undefined;
      if (p.paymentId === saga.paymentId) saga.paymentSettled = true;
      if (r.cancellation) {
        const refunded = money(saga.refundedMinor, p.amount?.currencyCode ?? "");
        r.cancellation = { ...r.cancellation, refundAmount: refunded, refundStatus: RefundStatus.SUCCEEDED };
      }
      break;
    }
    case "triphub.reservation.v1.RefundFailed":
      saga.refundOwed = undefined;
      if (r.cancellation) r.cancellation = { ...r.cancellation, refundStatus: RefundStatus.FAILED };
      break;
    case "triphub.reservation.v1.StayCompleted":
      r.status = ReservationStatus.COMPLETED;
      break;
  }
  return { reservation: create(ReservationSchema, r), saga };
}

/**
 * What a saga stopped at `status` (failed or cancelled) leaves to undo. A call whose answer
 * was lost may have held rooms or authorized money nobody heard of: those are looked up, except
 * after a refusal that proves nothing was made.
 */
function stopSaga(saga: SagaFacts, status: ReservationStatus, reason: FailureReason): void {
  if (status === ReservationStatus.REQUESTED && !DEFINITE_HOLD_REFUSALS.has(reason)) saga.holdUnknown = true;
  if (status === ReservationStatus.ROOMS_HELD && saga.paymentId === "" && reason !== FailureReason.PRICE_CHANGED) {
    saga.paymentUnknown = reason !== FailureReason.PAYMENT_DECLINED;
  }
  if (saga.holdId === "" && !saga.holdUnknown) saga.roomsReleased = true;
}

function requested(p: ReservationRequested, at: Date): ReservationAggregate {
  const now = timestampFromDate(at);
  return {
    reservation: create(ReservationSchema, {
      requestId: p.requestId,
      guestId: p.guestId,
      propertyId: p.propertyId,
      roomTypeId: p.roomTypeId,
      checkIn: p.checkIn,
      checkOut: p.checkOut,
      nights: nightsOf(p.checkIn, p.checkOut),
      guests: p.guests,
      units: p.units,
      contact: p.contact,
      specialRequests: p.specialRequests,
      status: ReservationStatus.REQUESTED,
      version: 1n,
      createTime: now,
      updateTime: now,
    }),
    saga: {
      paymentMethodToken: p.paymentMethodToken,
      expectedTotal: p.expectedTotal,
      holdId: "",
      roomsReleased: false,
      holdUnknown: false,
      paymentId: "",
      paymentSettled: true,
      paymentUnknown: false,
      capturedMinor: 0n,
      refundedMinor: 0n,
      refundOwed: undefined,
    },
  };
}

/** The reservation aggregate's rules. */
export const reservationDecider: Decider<ReservationCommand, ReservationState, ReservationEvent> = {
  initialState: undefined,
  decide,
  evolve,
};

/**
 * The read model of a stream: its events do not repeat the stream's id, so the id is set here
 * from the stream the state was folded from.
 */
export const reservationOf = (state: ReservationAggregate, reservationId: string): Reservation =>
  create(ReservationSchema, { ...state.reservation, reservationId });
