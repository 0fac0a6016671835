import type { Logger } from "pino";

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
      .catch((err: unknown) => opts.log.error({ err }, `${opts.name} failed`))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      timer ??= setInterval(tick, opts.intervalMs).unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
