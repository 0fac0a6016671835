// One saga step against accommodation or payment, turned into reports of what happened (the
// runner records them as commands, see step-reports.ts). Every call is idempotent on the reservation (hold, authorization, refund keys), so
// a step repeated after a crash or a lost answer does the thing once. A refusal that decides
// the booking becomes a Fail report; a failure that may pass (a service down, a timeout) is
// thrown as a TransientFailure for the runner to retry.
import type { Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { HoldReleaseReason } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import type { Money } from "@triphub/contracts/triphub/common/v1/money_pb";
import { type Payment, PaymentStatus, RefundReason, RefundStatus, VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { CancellationActor, FailureReason } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { SagaStep } from "../domain/saga.js";
import { toProtoMoney } from "../proto-mapping/money.js";
import type { StepReport, StepState } from "./step-reports.js";

/** The clients the saga calls, carrying the reservation service's identity. */
export interface SagaClients {
  accommodation: Client<typeof AccommodationService>;
  payment: Client<typeof PaymentService>;
}

/** A step that did not get an answer it can act on; trying again may succeed. */
export class TransientFailure extends Error {
  override readonly name = "TransientFailure";
  constructor(
    message: string,
    /** What the booking fails with if this lasts past the saga's deadline. */
    readonly reasonIfFinal: FailureReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Codes that say nothing was decided: the call may be repeated with the same key.
const TRANSIENT: ReadonlySet<Code> = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Aborted, Code.Unknown, Code.Internal, Code.Canceled]);

const HOLD_REFUSALS: Record<string, FailureReason> = {
  ROOMS_UNAVAILABLE: FailureReason.ROOMS_UNAVAILABLE,
  STAY_RESTRICTED: FailureReason.STAY_RESTRICTED,
  OCCUPANCY_EXCEEDED: FailureReason.OCCUPANCY_EXCEEDED,
  PROPERTY_NOT_BOOKABLE: FailureReason.PROPERTY_NOT_BOOKABLE,
  HOLD_RELEASED: FailureReason.HOLD_EXPIRED,
  HOLD_EXPIRED: FailureReason.HOLD_EXPIRED,
};

const reasonOf = (e: ConnectError): string => e.findDetails(ErrorInfoSchema)[0]?.reason ?? "";

/** A ConnectError, or a transient failure for anything that is not an answer. */
function connectError(e: unknown, service: string, ifFinal: FailureReason): ConnectError {
  const err = ConnectError.from(e);
  if (TRANSIENT.has(err.code)) {
    throw new TransientFailure(`${service} did not answer: ${err.rawMessage}`, ifFinal, { cause: err });
  }
  return err;
}

const fail = (reason: FailureReason, message: string): StepReport[] => [{ type: "Fail", reason, message }];

/** What the steps take from the service's settings, read at each step (they may change live). */
export interface StepSettings {
  /** How long accommodation holds the rooms (`hold_ttl_seconds`); undefined: accommodation's default. */
  holdTtlSeconds?: () => number | undefined;
}

/** Runs `step` for the reservation in `state` and returns the reports of its outcome. */
export async function runStep(
  c: SagaClients,
  id: string,
  state: StepState,
  step: SagaStep,
  signal: AbortSignal,
  settings: StepSettings = {},
): Promise<StepReport[]> {
  const r = state.reservation;
  const call = { signal };
  switch (step.kind) {
    case "hold": {
      try {
        const ttlSeconds = settings.holdTtlSeconds?.();
        const { hold } = await c.accommodation.holdInventory(
          {
            reservationId: id,
            propertyId: r.propertyId,
            roomTypeId: r.roomTypeId,
            checkIn: r.checkIn,
            checkOut: r.checkOut,
            units: r.units,
            guests: r.guests,
            ...(ttlSeconds !== undefined && { ttl: { seconds: BigInt(ttlSeconds) } }),
          },
          call,
        );
        if (!hold) throw new TransientFailure("accommodation answered without a hold", FailureReason.INTERNAL);
        return [{ type: "RecordHold", hold }];
      } catch (e) {
        if (e instanceof TransientFailure) throw e;
        const err = connectError(e, "accommodation", FailureReason.TIMED_OUT);
        if (err.code === Code.NotFound) return fail(FailureReason.PROPERTY_NOT_BOOKABLE, "the property or room type does not exist");
        if (err.code === Code.InvalidArgument) return fail(FailureReason.STAY_RESTRICTED, err.rawMessage);
        const reason = HOLD_REFUSALS[reasonOf(err)];
        if (err.code === Code.FailedPrecondition && reason) return fail(reason, err.rawMessage);
        return fail(FailureReason.INTERNAL, "the rooms could not be held");
      }
    }
    case "authorize": {
      const amount = r.price?.total;
      if (!amount) return fail(FailureReason.INTERNAL, "the held rooms came without a price");
      try {
        const { payment } = await c.payment.authorizePayment(
          {
            reservationId: id,
            payerId: r.guestId,
            amount,
            paymentMethodToken: state.saga.paymentMethodToken,
            idempotencyKey: id,
            description: `TripHub ${r.propertyName}`.slice(0, 200),
          },
          call,
        );
        if (payment?.status === PaymentStatus.AUTHORIZED) return [{ type: "RecordAuthorization", paymentId: payment.paymentId, amount }];
        return fail(FailureReason.PAYMENT_DECLINED, payment?.failureMessage || "the card was declined");
      } catch (e) {
        const err = ConnectError.from(e);
        // The payment service answered that its provider is down: a payment error if it lasts.
        if (err.code === Code.Unavailable && reasonOf(err) === "PROVIDER_UNAVAILABLE") {
          throw new TransientFailure(`payment provider: ${err.rawMessage}`, FailureReason.PAYMENT_ERROR, { cause: err });
        }
        connectError(err, "payment", FailureReason.TIMED_OUT);
        return fail(FailureReason.PAYMENT_ERROR, "the payment could not be authorized");
      }
    }
    case "confirm": {
      try {
        await c.accommodation.confirmHold({ reservationId: id }, call);
      } catch (e) {
        const err = connectError(e, "accommodation", FailureReason.TIMED_OUT);
        if (err.code === Code.FailedPrecondition) return fail(FailureReason.HOLD_EXPIRED, "the rooms' hold lapsed before the booking was confirmed");
        return fail(FailureReason.INTERNAL, "the hold could not be confirmed");
      }
      try {
        const { payment } = await c.payment.capturePayment({ paymentId: step.paymentId }, call);
        const captured = payment?.capturedAmount ?? r.price?.total;
        if (!captured) return fail(FailureReason.INTERNAL, "the capture came back without an amount");
        return [{ type: "Confirm", paymentId: step.paymentId, captured }];
      } catch (e) {
        const err = connectError(e, "payment", FailureReason.TIMED_OUT);
        if (err.code === Code.FailedPrecondition) return fail(FailureReason.PAYMENT_ERROR, "the payment could not be captured");
        return fail(FailureReason.INTERNAL, "the payment could not be captured");
      }
    }
    case "unwindPayment":
      return step.paymentId === "" ? lookUpPayments(c, id, signal) : unwindPayment(c, id, step.paymentId, signal);
    case "refund":
      return refund(c, id, step.paymentId, toProtoMoney(step.amount), state, signal);
    case "release": {
      const reason = step.because === "failed" ? HoldReleaseReason.RESERVATION_FAILED : HoldReleaseReason.RESERVATION_CANCELLED;
      try {
        const { hold } = await c.accommodation.releaseHold({ reservationId: id, reason }, call);
        return [{ type: "RecordRelease", holdId: hold?.holdId ?? "" }];
      } catch (e) {
        const err = connectError(e, "accommodation", FailureReason.TIMED_OUT);
        throw new TransientFailure(`releasing the rooms failed: ${err.rawMessage}`, FailureReason.INTERNAL, { cause: err });
      }
    }
  }
}

/** The payments made for the reservation whose answers were lost: recorded, so the next steps unwind them. */
async function lookUpPayments(c: SagaClients, id: string, signal: AbortSignal): Promise<StepReport[]> {
  const payments = await paymentCall(() => c.payment.listPayments({ reservationId: id, pageSize: 100 }, { signal }));
  const live = payments.payments.filter((p) => p.status !== PaymentStatus.DECLINED);
  if (live.length === 0) return [{ type: "RecordVoid", paymentId: "" }];
  const [first] = live;
  return [{ type: "RecordAuthorization", paymentId: first.paymentId, amount: first.amount! }];
}

/** Leaves the payment with nothing taken: voids an authorization, refunds a capture whose answer was lost. */
async function unwindPayment(c: SagaClients, id: string, paymentId: string, signal: AbortSignal): Promise<StepReport[]> {
  const { payment } = await paymentCall(() => c.payment.getPayment({ paymentId }, { signal }));
  if (payment?.status === PaymentStatus.AUTHORIZED) {
    await paymentCall(() => c.payment.voidPayment({ paymentId, reason: VoidReason.RESERVATION_FAILED }, { signal }));
    return [{ type: "RecordVoid", paymentId }];
  }
  const left = payment && refundable(payment);
  if (!left || left.amountMinor === 0n) return [{ type: "RecordVoid", paymentId }];
  const res = await paymentCall(() =>
    c.payment.refundPayment(
      { paymentId, amount: left, reason: RefundReason.OTHER, idempotencyKey: `${id}:unwind`, note: "the booking did not complete" },
      { signal },
    ),
  );
  return [{ type: "RecordRefund", paymentId, refundId: res.refund?.refundId ?? "", amount: left }];
}

/** A cancellation's refund. A provider refusal is final (RefundFailed: an operator steps in). */
async function refund(c: SagaClients, id: string, paymentId: string, amount: Money, state: StepState, signal: AbortSignal): Promise<StepReport[]> {
  const byGuest = state.reservation.cancellation?.cancelledBy === CancellationActor.GUEST;
  const res = await paymentCall(() =>
    c.payment.refundPayment(
      {
        paymentId,
        amount,
        reason: byGuest ? RefundReason.GUEST_CANCELLATION : RefundReason.HOST_CANCELLATION,
        idempotencyKey: `${id}:cancel`,
        note: "reservation cancelled",
      },
      { signal },
    ),
  );
  if (res.refund?.status === RefundStatus.SUCCEEDED) return [{ type: "RecordRefund", paymentId, refundId: res.refund.refundId, amount }];
  return [{ type: "RecordRefundFailure", paymentId, message: res.refund?.failureMessage || "the refund was refused" }];
}

function refundable(p: Payment): Money | undefined {
  if (p.status !== PaymentStatus.CAPTURED && p.status !== PaymentStatus.PARTIALLY_REFUNDED) return undefined;
  const captured = p.capturedAmount?.amountMinor ?? 0n;
  const refunded = p.refundedAmount?.amountMinor ?? 0n;
  return { ...p.capturedAmount!, amountMinor: captured - refunded };
}

/** A compensation's payment call: any failure is retried later (compensations never give up). */
async function paymentCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = ConnectError.from(e);
    throw new TransientFailure(`payment: ${err.rawMessage}`, FailureReason.INTERNAL, { cause: err });
  }
}
