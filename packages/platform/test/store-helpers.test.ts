import { describe, expect, it } from "vitest";
import { drainInBatches, isCheckViolation, isUniqueViolation } from "../src/index.js";

describe("drainInBatches", () => {
  it("asks for full batches until one comes back short, and adds them up", async () => {
    const asked: number[] = [];
    const answers = [3, 3, 1, 3];
    const total = await drainInBatches(async (limit) => {
      asked.push(limit);
      return answers[asked.length - 1]!;
    }, 3);
    expect(asked).toEqual([3, 3, 3]);
    expect(total).toBe(7);
  });

  it("makes one more call after an exactly full last batch, which finds nothing", async () => {
    const answers = [2, 2, 0];
    let calls = 0;
    expect(await drainInBatches(async () => answers[calls++]!, 2)).toBe(4);
    expect(calls).toBe(3);
  });

  it("passes a failing step's error on, having stopped there", async () => {
    let calls = 0;
    const failing = drainInBatches(async () => {
      calls++;
      if (calls === 2) throw new Error("database gone");
      return 5;
    }, 5);
    await expect(failing).rejects.toThrow("database gone");
    expect(calls).toBe(2);
  });
});

describe("PostgreSQL constraint errors", () => {
  const pgError = (code: string, constraint?: string) => Object.assign(new Error("driver"), { code, constraint_name: constraint });
  const wrapped = (e: Error) => new Error("drizzle: failed query", { cause: e });

  it.each([
    ["a unique violation", pgError("23505", "users_email_key"), undefined, true],
    ["one wrapped by drizzle", wrapped(pgError("23505", "users_email_key")), undefined, true],
    ["the named constraint", wrapped(pgError("23505", "users_email_key")), "users_email_key", true],
    ["another constraint", wrapped(pgError("23505", "users_pkey")), "users_email_key", false],
    ["a check violation", wrapped(pgError("23514", "users_email_key")), undefined, false],
    ["a socket error", Object.assign(new Error("reset"), { code: "ECONNRESET" }), undefined, false],
  ])("tells %s apart", (_name, err, constraint, expected) => {
    expect(isUniqueViolation(err, constraint)).toBe(expected);
  });

  it("tells a check violation by its constraint", () => {
    expect(isCheckViolation(wrapped(pgError("23514", "units_within_total")), "units_within_total")).toBe(true);
    expect(isCheckViolation(wrapped(pgError("23514", "other")), "units_within_total")).toBe(false);
  });
});
