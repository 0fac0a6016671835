import type { Logger } from "pino";
import { metricCounter, metricGauge } from "./metrics/registry.js";

// Label `task`, not `job`: Prometheus gives every scraped series a `job` label of its own.
const runs = metricCounter({
  name: "triphub_periodic_job_runs_total",
  help: "Runs of a periodic job (sweeper, purger, resumer) by outcome: success or failure.",
  labelNames: ["task", "outcome"],
});
const lastSuccess = metricGauge({
  name: "triphub_periodic_job_last_success_timestamp_seconds",
  help: "When a periodic job last ran to the end without failing (its start counts as one), in Unix seconds.",
  labelNames: ["task"],
});

/** A background job run on a timer; see {@link createPeriodicJob}. */
export interface PeriodicJob {
  /** Runs every `intervalMs` until stopped. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer and waits for a run in progress, so what it uses (a pool) can close after. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs`. A slow run is never overlapped by the next tick, and a failed
 * one is logged (`<name> failed`) and tried again on the next.
 */
export function createPeriodicJob(opts: { name: string; intervalMs: number; log: Logger; run: () => Promise<unknown> }): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = opts
      .run()
      .then(
        () => {
          runs.inc({ task: opts.name, outcome: "success" });
          lastSuccess.set({ task: opts.name }, Date.now() / 1000);
        },
        (err: unknown) => {
          runs.inc({ task: opts.name, outcome: "failure" });
          opts.log.error({ err }, `${opts.name} failed`);
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      // A job that has never succeeded is measured from its start, not from 1970.
      if (timer === undefined) lastSuccess.set({ task: opts.name }, Date.now() / 1000);
      timer ??= setInterval(tick, opts.intervalMs).unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
