// What the payment provider answers, for /metrics: every request by operation and outcome, so
// payment outcomes (approved, declined, refused...) and the provider's own errors show apart.
import { metricCounter, metricHistogram } from "@triphub/platform";
import type { PaymentProvider } from "./domain/provider.js";

const requests = metricCounter({
  name: "triphub_payment_provider_requests_total",
  help: "Requests to the card payment provider by operation (authorize, capture, void, refund) and outcome: its answer (approved, declined, captured, refused, voided, succeeded, failed) or error (no answer).",
  labelNames: ["operation", "outcome"],
});
const duration = metricHistogram({
  name: "triphub_payment_provider_duration_seconds",
  help: "Time the payment provider took to answer (or fail), by operation.",
  labelNames: ["operation"],
});

async function measured<T>(operation: string, call: () => Promise<T>, outcomeOf: (answer: T) => string): Promise<T> {
  const started = performance.now();
  try {
    const answer = await call();
    requests.inc({ operation, outcome: outcomeOf(answer) });
    return answer;
  } catch (err) {
    requests.inc({ operation, outcome: "error" });
    throw err;
  } finally {
    duration.observe({ operation }, (performance.now() - started) / 1000);
  }
}

/** `provider` with each request and its outcome counted (labels are outcomes, never amounts or references). */
export function withProviderMetrics(provider: PaymentProvider): PaymentProvider {
  return {
    authorize: (token, amount) => measured("authorize", () => provider.authorize(token, amount), (a) => a.outcome),
    capture: (reference, amount) => measured("capture", () => provider.capture(reference, amount), (a) => a.outcome),
    void: (reference) => measured("void", () => provider.void(reference), () => "voided"),
    refund: (reference, amount, key) => measured("refund", () => provider.refund(reference, amount, key), (a) => a.outcome),
  };
}
