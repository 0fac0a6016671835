/**
 * Rules about a stay that more than one service applies, kept here so there is one copy: the
 * cancellation policies (accommodation shows their free window in search, reservation refunds
 * by them) and the property-local time they are measured in.
 */
export {
  CANCELLATION_POLICIES,
  type CancellationPolicy,
  freeCancellationUntil,
  isCancellationPolicy,
  type Refund,
  type RefundCase,
  type RefundRule,
  refundFor,
} from "./cancellation-policy.js";
export { localTimeToInstant, type WallClock, wallClock } from "./local-time.js";
