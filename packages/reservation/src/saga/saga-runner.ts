// Drives booking sagas: takes the step the events say is next, runs it, records the outcome,
// until nothing is left. Progress lives only in the database, so any process can carry on a
// saga whose process died: the lease it held lapses and the resumer here picks the saga up.
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { FailureReason } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { type Clock, createPeriodicJob, inSpan, isTracing, type Logger, linkTo, outsideCall } from "@triphub/platform";
import type { ReservationAggregate } from "../domain/reservation-state.js";
import { nextStep, type SagaStep } from "../domain/saga.js";
import { failureReason } from "../proto-mapping/enums.js";
import type { ReservationStore } from "../store/reservation-store.js";
import type { SagaWorkStore } from "../store/saga-work-store.js";
import { countStep } from "./saga-metrics.js";
import { runStep, type SagaClients, type StepSettings, TransientFailure } from "./saga-steps.js";
import { commandOf, stepStateOf } from "./step-reports.js";

/** Timings of the runner; tests shorten them. */
export interface SagaTimings {
  /** How long a booking may take before it fails TIMED_OUT. */
  deadlineMs: number;
  /** How long a driving process owns a saga without renewing; a crashed one's sagas wait this long. */
  leaseMs: number;
  /** How often due sagas are looked for (crashed owners, backoffs). */
  resumeEveryMs: number;
  /** Longest wait for one call to another service. */
  callTimeoutMs: number;
}

export const DEFAULT_TIMINGS: SagaTimings = { deadlineMs: 60_000, leaseMs: 15_000, resumeEveryMs: 1_000, callTimeoutMs: 5_000 };

export interface SagaRunner {
  /**
   * Starts driving the saga of a reservation (no-op when this process already drives it);
   * `known` is its state when the caller just wrote it, which saves reading it back.
   */
  start(reservationId: string, known?: ReservationAggregate): void;
  /** Resolves when this process stops driving the saga, or after `ms`. */
  settled(reservationId: string, ms: number): Promise<void>;
  /** Starts the resumer of due sagas. */
  startResuming(): void;
  /** Picks up the sagas that are due now; returns how many. */
  resumeDue(): Promise<number>;
  /** Stops driving (sagas in flight stop between steps, their leases lapse) and waits for it. */
  close(): Promise<void>;
}

export interface SagaRunnerDeps {
  store: ReservationStore;
  work: SagaWorkStore;
  clients: SagaClients;
  now: Clock;
  log: Logger;
  timings?: Partial<SagaTimings>;
  /** What the steps read from the service's live settings (the hold's length). */
  settings?: StepSettings;
}

const FORWARD: ReadonlySet<SagaStep["kind"]> = new Set(["hold", "authorize", "confirm"]);
// Compensations are retried in process this many times, then backed off in the database.
const LOCAL_RETRIES = 4;

const GIVE_UP_MESSAGES: Partial<Record<FailureReason, string>> = {
  [FailureReason.TIMED_OUT]: "a service the booking needs did not answer in time; nothing was charged",
  [FailureReason.PAYMENT_ERROR]: "the payment provider is unavailable; nothing was charged",
};

/** Exponential backoff with full jitter: 0..min(cap, base * 2^attempt) ms. */
const backoffMs = (attempt: number, base: number, cap: number) => Math.random() * Math.min(cap, base * 2 ** attempt);

export function createSagaRunner(d: SagaRunnerDeps): SagaRunner {
  const t = { ...DEFAULT_TIMINGS, ...d.timings };
  const closing = new AbortController();
  // Every step in flight listens for shutdown: hundreds at once are normal, not a leak.
  setMaxListeners(0, closing.signal);
  const driving = new Map<string, Promise<void>>();

  async function drive(id: string, known: ReservationAggregate | undefined): Promise<void> {
    if (!(await d.work.claim(id, t.leaseMs))) return;
    let renewedAt = Date.now();
    let attempt = 0;
    let state = known ?? (await d.store.load(id));
    try {
      for (;;) {
        const step = nextStep(state);
        if (!step || !state || closing.signal.aborted) return;
        if (Date.now() - renewedAt > t.leaseMs / 3) {
          await d.work.renew(id, t.leaseMs);
          renewedAt = Date.now();
        }
        const current = state;
        // One span per step attempt, around the call and the recording of its outcome, so the
        // events it records name this step as their producer (tracing on).
        const outcome = await inSpan(
          `saga ${step.kind}`,
          { attributes: { "triphub.saga.step": step.kind, "triphub.saga.attempt": attempt, "triphub.reservation.id": id } },
          async (span) => {
            const outcome = await attemptStep(id, current, step, attempt);
            span?.setAttribute("triphub.saga.outcome", typeof outcome === "string" ? outcome : outcome.map((c) => c.type).join(","));
            if (typeof outcome !== "string") for (const command of outcome) state = (await d.store.run(id, command, d.now(), state)).state;
            return outcome;
          },
        );
        if (outcome === "retry") {
          attempt++;
          await sleep(backoffMs(attempt, 50, 2_000), undefined, { signal: closing.signal }).catch(() => {});
          continue;
        }
        if (outcome === "later") {
          const attempts = await d.work.backOff(id, backoffMs(attempt, 1_000, 60_000) + 1_000);
          d.log.warn({ reservationId: id, step: step.kind, attempts }, "saga step keeps failing; backing off");
          return;
        }
        attempt = 0;
      }
    } finally {
      // Whatever is left (a backoff, a shutdown) is due to whoever comes next.
      if (nextStep(state) && !closing.signal.aborted) await d.work.release(id).catch(() => {});
    }
  }

  /** The commands that record a step's outcome, or when to try it again. */
  async function attemptStep(id: string, state: ReservationAggregate, step: SagaStep, attempt: number) {
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(t.callTimeoutMs)]);
    const started = performance.now();
    const forward = FORWARD.has(step.kind);
    const counted = (outcome: Parameters<typeof countStep>[2]) => countStep(step.kind, forward, outcome, (performance.now() - started) / 1000);
    try {
      const reports = await runStep(d.clients, id, stepStateOf(id, state), step, signal, d.settings);
      counted(reports.some((r) => r.type === "Fail") ? "refused" : "done");
      return reports.map(commandOf);
    } catch (e) {
      if (!(e instanceof TransientFailure)) throw e;
      if (forward) {
        if (d.now().getTime() - state.reservation.createdAt.getTime() < t.deadlineMs) {
          counted("retry");
          return "retry" as const;
        }
        counted("gave_up");
        d.log.warn({ reservationId: id, step: step.kind, err: e }, "booking ran out of time");
        const message = GIVE_UP_MESSAGES[e.reasonIfFinal] ?? "the booking could not be completed; nothing was charged";
        return [{ type: "Fail" as const, reason: failureReason.fromProto(e.reasonIfFinal), message }];
      }
      d.log.warn({ reservationId: id, step: step.kind, err: e, attempt }, "compensation failed; will retry");
      counted(attempt < LOCAL_RETRIES ? "retry" : "later");
      return attempt < LOCAL_RETRIES ? ("retry" as const) : ("later" as const);
    }
  }

  // A saga picked up again (its process died, or a service it needs was down) runs its steps in
  // one trace of its own, linked to the span that last wrote to it: the steps stay together and
  // lead back to the booking's request. Tracing off: just the drive.
  async function resumed(id: string, work: () => Promise<void>): Promise<void> {
    if (!isTracing()) return work();
    const link = linkTo(await d.store.lastTraceparent(id).catch(() => undefined));
    return inSpan("saga resume", { root: true, links: link ? [link] : [], attributes: { "triphub.reservation.id": id } }, () => work());
  }

  const resumer = createPeriodicJob({ name: "saga-resumer", intervalMs: t.resumeEveryMs, log: d.log, run: () => runner.resumeDue() });

  function startDriving(id: string, work: () => Promise<void>): void {
    if (driving.has(id) || closing.signal.aborted) return;
    // The saga outlives the RPC that started it: its statements must not be cancelled with that call.
    const run = outsideCall(work)
      .catch((err: unknown) => d.log.error({ err, reservationId: id }, "saga failed; it resumes when its lease lapses"))
      .finally(() => driving.delete(id));
    driving.set(id, run);
  }

  const runner: SagaRunner = {
    start(id, known) {
      startDriving(id, () => drive(id, known));
    },
    async settled(id, ms) {
      const run = driving.get(id);
      if (!run) return;
      await Promise.race([run, sleep(ms, undefined, { ref: false })]);
    },
    startResuming: () => resumer.start(),
    async resumeDue() {
      const due = (await d.work.due(100)).filter((id) => !driving.has(id));
      for (const id of due) startDriving(id, () => resumed(id, () => drive(id, undefined)));
      return due.length;
    },
    async close() {
      closing.abort();
      await resumer.stop();
      await Promise.allSettled(driving.values());
    },
  };
  return runner;
}
