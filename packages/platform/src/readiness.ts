import { type HealthState, ServingStatus } from "./health.js";

/** Whether a process should get traffic, for /readyz and grpc.health.v1 alike. */
export interface Readiness {
  /** Serving from now on, as far as the process's own check allows; re-checked every `intervalMs`. */
  start(): void;
  /** Not serving any more (shutdown); no further checks. */
  stop(): void;
  /** Runs the check now (bounded by `timeoutMs`), updates the health state and says the result. */
  probe(): Promise<boolean>;
}

/** Options for {@link createReadiness}. */
export interface ReadinessOptions {
  health: HealthState;
  /** The process's own readiness, e.g. a database ping; a check that throws or is late says no. */
  check?: () => Promise<boolean>;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Keeps the health state in step with the process's own check, so grpc.health.v1 (which load
 * balancers, the registry and Kubernetes' gRPC probes read) says NOT_SERVING while the database
 * is gone, not only /readyz, and says SERVING again when it is back.
 */
export function createReadiness(opts: ReadinessOptions): Readiness {
  let serving = false;
  let timer: NodeJS.Timeout | undefined;
  const probe = async () => {
    const ok = serving && (await within(opts.timeoutMs, opts.check));
    // Shutdown may have begun while the check ran; it has the last word.
    if (serving) opts.health.setAll(ok ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    return ok;
  };
  return {
    start() {
      serving = true;
      opts.health.setAll(ServingStatus.SERVING);
      if (opts.check && !timer) {
        timer = setInterval(() => void probe(), opts.intervalMs ?? 2_000);
        timer.unref();
      }
    },
    stop() {
      serving = false;
      clearInterval(timer);
      timer = undefined;
      opts.health.setAll(ServingStatus.NOT_SERVING);
    },
    probe,
  };
}

/** Whether `check` says true within `ms`; a check that throws or is late says false. */
async function within(ms: number, check: (() => Promise<boolean>) | undefined): Promise<boolean> {
  if (!check) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([Promise.resolve().then(check).catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
