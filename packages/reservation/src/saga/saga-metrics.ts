// What the booking saga reports to /metrics: each step attempted and how it ended, and the
// sagas left in the database that nobody is finishing.
import { metricCounter, metricHistogram, observeGauge } from "@triphub/platform";
import type { SagaStep } from "../domain/saga.js";

const steps = metricCounter({
  name: "triphub_saga_steps_total",
  help: "Booking saga steps attempted, by step, kind (forward or compensation) and outcome (done, refused: the booking fails, retry, later: backed off in the database, gave_up: out of time).",
  labelNames: ["step", "kind", "outcome"],
});
const stepDuration = metricHistogram({
  name: "triphub_saga_step_duration_seconds",
  help: "Time one attempt of a saga step took, calls to other services included, by step.",
  labelNames: ["step"],
});

/** How one attempt of a step ended. */
export type StepOutcome = "done" | "refused" | "retry" | "later" | "gave_up";

/** Counts one attempt of `step` that took `seconds`. */
export function countStep(step: SagaStep["kind"], forward: boolean, outcome: StepOutcome, seconds: number): void {
  steps.inc({ step, kind: forward ? "forward" : "compensation", outcome });
  stepDuration.observe({ step }, seconds);
}

/** The saga backlog as the database has it; see {@link observeSagaBacklog}. */
export interface SagaBacklog {
  /** Sagas whose compensations keep failing (backed off at least once). */
  backingOff: number;
  /** Seconds the longest-waiting saga that is due and unleased has waited (0: none). */
  oldestDueSeconds: number;
}

/**
 * Publishes the saga backlog, read from the database at each scrape: sagas that are due but
 * nobody drives (the resumer is behind or dead) and sagas backing off. Returns the unregister.
 */
export function observeSagaBacklog(read: () => Promise<SagaBacklog>): () => void {
  let last: Promise<SagaBacklog> | undefined;
  // Both gauges come from one query per scrape.
  const once = () => {
    last ??= read().finally(() => setTimeout(() => (last = undefined), 1_000).unref());
    return last;
  };
  const stops = [
    observeGauge({ name: "triphub_sagas_backing_off", help: "Booking sagas whose compensation keeps failing and is retried later." }, async () => [
      { value: (await once()).backingOff },
    ]),
    observeGauge(
      {
        name: "triphub_saga_oldest_due_seconds",
        help: "How long the longest-waiting booking saga that is due has gone without a process driving it (0: none).",
        aggregate: "max",
      },
      async () => [{ value: (await once()).oldestDueSeconds }],
    ),
  ];
  return () => {
    for (const s of stops) s();
  };
}
