import { describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY, decideRestart, type RestartPolicy } from "../src/restart-policy.js";

const policy: RestartPolicy = DEFAULT_RESTART_POLICY;
const now = 1_000_000;
const s = (seconds: number) => seconds * 1000;
/** Earlier crashes, given as seconds before now. */
const ago = (...seconds: number[]) => seconds.map((x) => now - s(x));

describe("decideRestart", () => {
  it.each([
    { earlier: [], delayMs: 500, crash: 1 },
    { earlier: ago(2), delayMs: 1000, crash: 2 },
    { earlier: ago(5, 2), delayMs: 2000, crash: 3 },
    { earlier: ago(9, 5, 2), delayMs: 4000, crash: 4 },
  ])("restarts crash $crash after $delayMs ms, doubling from 0.5 s", ({ earlier, delayMs, crash }) => {
    expect(decideRestart(policy, earlier, now - s(1), now)).toMatchObject({ action: "restart", delayMs, crash });
  });

  it.each([
    { what: "the fifth crash within a minute", earlier: ago(50, 30, 10, 2) },
    { what: "a crash after five more within a minute", earlier: ago(59, 50, 30, 10, 2) },
  ])("gives up on $what", ({ earlier }) => {
    expect(decideRestart(policy, earlier, now - s(1), now).action).toBe("give-up");
  });

  it.each([
    { what: "crashes older than the window", earlier: ago(300, 200, 100, 61), upFor: 1, crash: 1 },
    { what: "only the crashes older than the window", earlier: ago(90, 70, 61, 20), upFor: 1, crash: 2 },
    { what: "every crash before a run as long as stableAfterMs", earlier: ago(50, 45, 40, 35), upFor: 30, crash: 1 },
  ])("forgets $what", ({ earlier, upFor, crash }) => {
    expect(decideRestart(policy, earlier, now - s(upFor), now)).toMatchObject({ action: "restart", crash });
  });

  it.each([
    { crash: 5, delayMs: 8000 },
    { crash: 6, delayMs: 10_000 },
    { crash: 9, delayMs: 10_000 },
  ])("waits at most maxDelayMs: crash $crash after $delayMs ms", ({ crash, delayMs }) => {
    const patient = { ...policy, maxCrashes: 10 };
    const earlier = Array.from({ length: crash - 1 }, (_, i) => now - s(crash - i));
    expect(decideRestart(patient, earlier, now - s(1), now)).toMatchObject({ action: "restart", delayMs, crash });
  });

  it("counts a restart that never got ready as a crash", () => {
    const first = decideRestart(policy, [], now - s(1), now);
    const failed = decideRestart(policy, first.crashes, now + 700, now + 700);
    expect(failed).toMatchObject({ action: "restart", crash: 2, crashes: [now, now + 700] });
  });
});
