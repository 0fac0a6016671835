// The booking saga survives lost answers: the reservation process is SIGKILLed after each step
// was done by accommodation or payment but before its outcome was recorded (the
// RESERVATION_CRASH_BEFORE failpoint), then started again without it. The step is repeated,
// and its idempotency must make the repeat do nothing twice: one hold, one authorization, one
// capture, each event once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrashHarness, type End, startCrashHarness } from "./crash-harness.js";

describe("the reservation process killed before each step's outcome is recorded", () => {
  let h: CrashHarness;
  beforeAll(async () => {
    h = await startCrashHarness("saga_crash_lost");
  }, 60_000);
  afterAll(() => h?.close());

  it.each<[string, string, End, { authorize: number; capture: number; void: number }]>([
    ["RecordHold", "tok_visa", "confirmed", { authorize: 1, capture: 1, void: 0 }],
    ["RecordAuthorization", "tok_visa", "confirmed", { authorize: 1, capture: 1, void: 0 }],
    // The repeated capture finds the payment CAPTURED and does not ask the provider again.
    ["Confirm", "tok_visa", "confirmed", { authorize: 1, capture: 1, void: 0 }],
    // The repeated capture is refused again: asked twice, nothing taken.
    ["Fail", "tok_captureFails", "undone", { authorize: 1, capture: 2, void: 1 }],
    ["RecordVoid", "tok_captureFails", "undone", { authorize: 1, capture: 1, void: 1 }],
    ["RecordRelease", "tok_captureFails", "undone", { authorize: 1, capture: 1, void: 1 }],
  ])(
    "before %s (%s): restarted, the step is repeated and it ends %s with nothing done twice",
    async (command, token, end, calls) => {
      expect(await h.crashAndResume({ RESERVATION_CRASH_BEFORE: command }, token, end)).toEqual(calls);
    },
    120_000,
  );
});
