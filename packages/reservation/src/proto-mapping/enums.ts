// The reservation's enums both ways: domain string unions <-> generated proto enums. Tables
// rather than name arithmetic, so a renamed value fails to compile instead of mapping to
// UNSPECIFIED.
import { enumMapping } from "@triphub/platform";
import { CancellationPolicy as ProtoPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import {
  CancellationActor as ProtoActor,
  CancellationReason as ProtoCancellationReason,
  FailureReason as ProtoFailureReason,
  RefundStatus as ProtoRefundStatus,
  ReservationStatus as ProtoStatus,
} from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { CancellationPolicy } from "@triphub/platform/stay-rules";
import type {
  CancellationActor,
  CancellationReason,
  FailureReason,
  RefundStatus,
  ReservationStatus,
} from "../domain/reservation.js";

/** ReservationStatus; its number is also the read model's `status` column. */
export const reservationStatus = enumMapping<ReservationStatus, ProtoStatus>(
  {
    requested: ProtoStatus.REQUESTED,
    rooms_held: ProtoStatus.ROOMS_HELD,
    payment_authorized: ProtoStatus.PAYMENT_AUTHORIZED,
    confirmed: ProtoStatus.CONFIRMED,
    failed: ProtoStatus.FAILED,
    cancelled: ProtoStatus.CANCELLED,
    completed: ProtoStatus.COMPLETED,
  },
  "reservation status",
);

/** FailureReason. */
export const failureReason = enumMapping<FailureReason, ProtoFailureReason>(
  {
    rooms_unavailable: ProtoFailureReason.ROOMS_UNAVAILABLE,
    stay_restricted: ProtoFailureReason.STAY_RESTRICTED,
    occupancy_exceeded: ProtoFailureReason.OCCUPANCY_EXCEEDED,
    property_not_bookable: ProtoFailureReason.PROPERTY_NOT_BOOKABLE,
    price_changed: ProtoFailureReason.PRICE_CHANGED,
    payment_declined: ProtoFailureReason.PAYMENT_DECLINED,
    payment_error: ProtoFailureReason.PAYMENT_ERROR,
    hold_expired: ProtoFailureReason.HOLD_EXPIRED,
    timed_out: ProtoFailureReason.TIMED_OUT,
    internal: ProtoFailureReason.INTERNAL,
  },
  "failure reason",
);

/** CancellationActor. */
export const cancellationActor = enumMapping<CancellationActor, ProtoActor>(
  { guest: ProtoActor.GUEST, host: ProtoActor.HOST, admin: ProtoActor.ADMIN },
  "cancellation actor",
);

/** CancellationReason. */
export const cancellationReason = enumMapping<CancellationReason, ProtoCancellationReason>(
  {
    change_of_plans: ProtoCancellationReason.CHANGE_OF_PLANS,
    found_alternative: ProtoCancellationReason.FOUND_ALTERNATIVE,
    travel_restriction: ProtoCancellationReason.TRAVEL_RESTRICTION,
    emergency: ProtoCancellationReason.EMERGENCY,
    property_unavailable: ProtoCancellationReason.PROPERTY_UNAVAILABLE,
    policy_violation: ProtoCancellationReason.POLICY_VIOLATION,
    other: ProtoCancellationReason.OTHER,
  },
  "cancellation reason",
);

/** RefundStatus. */
export const refundStatus = enumMapping<RefundStatus, ProtoRefundStatus>(
  {
    not_required: ProtoRefundStatus.NOT_REQUIRED,
    pending: ProtoRefundStatus.PENDING,
    succeeded: ProtoRefundStatus.SUCCEEDED,
    failed: ProtoRefundStatus.FAILED,
  },
  "refund status",
);

const policies = enumMapping<CancellationPolicy, ProtoPolicy>(
  {
    flexible: ProtoPolicy.FLEXIBLE,
    moderate: ProtoPolicy.MODERATE,
    strict: ProtoPolicy.STRICT,
    non_refundable: ProtoPolicy.NON_REFUNDABLE,
  },
  "cancellation policy",
);

/** A policy both ways; unset (a reservation not yet held) is UNSPECIFIED. */
export const cancellationPolicy = {
  toProto: (p: CancellationPolicy | undefined): ProtoPolicy => (p === undefined ? ProtoPolicy.UNSPECIFIED : policies.toProto(p)),
  fromProto: (p: ProtoPolicy): CancellationPolicy | undefined => (p === ProtoPolicy.UNSPECIFIED ? undefined : policies.fromProto(p)),
};
