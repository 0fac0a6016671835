// The saga's edge: a step calls accommodation or payment in the contract's terms, so it reads
// the reservation as a proto message and reports what happened with proto values; the runner
// turns each report into the domain command that records it.
import type { Hold } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import type { Money } from "@triphub/contracts/triphub/common/v1/money_pb";
import type { FailureReason, Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { ReservationCommand } from "../domain/reservation-commands.js";
import type { ReservationAggregate } from "../domain/reservation-state.js";
import { failureReason } from "../proto-mapping/enums.js";
import { heldRoomsFromProto } from "../proto-mapping/hold.js";
import { moneyFromProto } from "../proto-mapping/money.js";
import { toProtoReservation } from "../proto-mapping/reservation.js";

/** What a step reads: the reservation as the contract has it, and the token to authorize with. */
export interface StepState {
  reservation: Reservation;
  saga: { paymentMethodToken: string };
}

/** What a step reports, in the terms the other service answered in; see {@link commandOf}. */
export type StepReport =
  | { type: "RecordHold"; hold: Hold }
  | { type: "RecordAuthorization"; paymentId: string; amount: Money }
  | { type: "Confirm"; paymentId: string; captured: Money }
  | { type: "Fail"; reason: FailureReason; message: string }
  | { type: "RecordVoid"; paymentId: string }
  | { type: "RecordRelease"; holdId: string }
  | { type: "RecordRefund"; paymentId: string; refundId: string; amount: Money }
  | { type: "RecordRefundFailure"; paymentId: string; message: string };

/** The state of reservation `id` as its steps read it. */
export function stepStateOf(id: string, state: ReservationAggregate): StepState {
  return { reservation: toProtoReservation(id, state.reservation), saga: { paymentMethodToken: state.saga.paymentMethodToken } };
}

/** The command that records `report`. */
export function commandOf(report: StepReport): ReservationCommand {
  switch (report.type) {
    case "RecordHold":
      return { type: "RecordHold", hold: heldRoomsFromProto(report.hold) };
    case "RecordAuthorization":
      return { type: "RecordAuthorization", paymentId: report.paymentId, amount: moneyFromProto(report.amount) };
    case "Confirm":
      return { type: "Confirm", paymentId: report.paymentId, captured: moneyFromProto(report.captured) };
    case "Fail":
      return { type: "Fail", reason: failureReason.fromProto(report.reason), message: report.message };
    case "RecordRefund":
      return { ...report, amount: moneyFromProto(report.amount) };
    case "RecordVoid":
    case "RecordRelease":
    case "RecordRefundFailure":
      return report;
    default: {
      const _x: never = report;
      throw new Error(`unknown step report ${(_x as StepReport).type}`);
    }
  }
}
