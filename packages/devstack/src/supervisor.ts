// Keeps one process of the devstack running: restarts it with backoff when it crashes, and
// leaves it down (saying so) after repeated crashes, so one process dying never takes the
// others down with it.
import { relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_RESTART_POLICY, decideRestart, type RestartPolicy } from "./restart-policy.js";
import { tailOfLog } from "./service-process.js";

/** One run of a supervised process, from ready until it ends. */
export interface Incarnation {
  /** Resolves, when the process ends, with how: `code 1`, `SIGKILL`. */
  exited: Promise<string>;
  /** Ends the process cleanly and resolves once it has ended. */
  stop(): Promise<void>;
}

/** What a supervisor runs: a service, or the embedded PostgreSQL. */
export interface SupervisedUnit {
  name: string;
  /** Its output, whose last lines are shown when it stays down. */
  logFile?: string;
  /**
   * Starts the process and resolves once it is ready; when it cannot get ready, or `signal`
   * aborts first, it ends whatever it started and rejects.
   */
  start(signal: AbortSignal): Promise<Incarnation>;
}

/** `up`: ready; `restarting`: crashed and coming back; `down`: crashed too often, left down. */
export type SupervisorState = "starting" | "up" | "restarting" | "down" | "stopped";

/** Options for {@link createSupervisor}. */
export interface SupervisorOptions {
  policy?: RestartPolicy;
  /** Writes one line to the devstack's output. */
  say: (line: string) => void;
  /** Log paths are shown relative to this folder. */
  root?: string;
}

/** A process kept running by {@link createSupervisor}. */
export interface Supervisor {
  readonly name: string;
  readonly state: SupervisorState;
  /** The first start: rejects when the process does not get ready (it is not retried). */
  start(): Promise<void>;
  /** From now on a crash is not restarted; `stop()` implies it. */
  halt(): void;
  /** Halts, then ends the process (or a restart under way) and resolves once it has ended. */
  stop(): Promise<void>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** Supervises `unit`: call `start()` once, `stop()` at the end. */
export function createSupervisor(unit: SupervisedUnit, opts: SupervisorOptions): Supervisor {
  const policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  const halted = new AbortController();
  let state: SupervisorState = "starting";
  let current: Incarnation | undefined;
  let crashes: number[] = [];
  // The start or restart under way, which stop() must wait for.
  let busy: Promise<void> = Promise.resolve();

  /** Starts an incarnation and watches it: false when halted meanwhile, rejects when it did not get ready. */
  const launch = async (): Promise<boolean> => {
    const running = await unit.start(halted.signal);
    if (halted.signal.aborted) {
      await running.stop();
      return false;
    }
    current = running;
    state = "up";
    const upSince = Date.now();
    void running.exited.then((how) => {
      current = undefined;
      if (!halted.signal.aborted) busy = recover(`exited (${how})`, upSince);
    });
    return true;
  };

  const recover = async (what: string, upSince: number): Promise<void> => {
    const decision = decideRestart(policy, crashes, upSince, Date.now());
    crashes = decision.crashes;
    if (decision.action === "give-up") {
      state = "down";
      const log = unit.logFile ? await tailOfLog(unit.logFile, 12) : "";
      const where = log ? ` Last lines of ${relative(opts.root ?? ".", unit.logFile!)}:\n${log}` : "";
      opts.say(
        `✖ ${unit.name} ${what}: ${decision.crash} crashes within ${policy.windowMs / 1000}s, giving up. ` +
          `${unit.name} stays down; the rest keep running.${where}`,
      );
      return;
    }
    state = "restarting";
    const of = `crash ${decision.crash} of ${policy.maxCrashes} in ${policy.windowMs / 1000}s`;
    opts.say(`✖ ${unit.name} ${what}; restarting in ${seconds(decision.delayMs)} (${of})`);
    await sleep(decision.delayMs, undefined, { signal: halted.signal }).catch(() => {});
    if (halted.signal.aborted) return;
    const began = performance.now();
    try {
      if (await launch()) opts.say(`▸ ${unit.name} is back (ready in ${seconds(performance.now() - began)})`);
    } catch (e) {
      if (halted.signal.aborted) return;
      const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0];
      await recover(`did not come back (${reason})`, Date.now());
    }
  };

  const halt = () => {
    if (state !== "down") state = "stopped";
    halted.abort();
  };

  return {
    name: unit.name,
    get state() {
      return state;
    },
    async start() {
      const first = launch();
      busy = first.then(
        () => {},
        () => {},
      );
      await first;
    },
    halt,
    async stop() {
      halt();
      await Promise.all([current?.stop(), busy]);
    },
  };
}
