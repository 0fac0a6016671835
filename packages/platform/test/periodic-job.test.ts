import { describe, expect, it } from "vitest";
import { createLogger, createPeriodicJob } from "../src/index.js";

const log = createLogger({ service: "periodic-job-test", level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("periodic job", () => {
  it("never overlaps a slow run, keeps going after a failure, and waits for the run in progress on stop", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    let finished = 0;
    const job = createPeriodicJob({
      name: "test job",
      intervalMs: 5,
      log,
      run: async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await sleep(30);
        active--;
        finished++;
        if (runs === 1) throw new Error("first run fails");
      },
    });
    job.start();
    job.start(); // a second start keeps the one timer
    await sleep(120);
    await job.stop();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(finished).toBe(runs);
    const after = runs;
    await sleep(40);
    expect(runs).toBe(after);
  });
});
