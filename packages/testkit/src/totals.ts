// The totals of the last test run, read from vitest's JSON report. Run as a script (CI does,
// so its last line is the totals even when npm prints errors after a red run) it prints them.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Counts of one test run. */
export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function count(report: Record<string, unknown>, key: string): number {
  const value = report[key];
  return typeof value === "number" ? value : 0;
}

// A file that fails outside any test (an import error, a failing beforeAll) reports no failed
// test; count it as one failure so the totals line never says "0 failed" for a red run.
function brokenFiles(results: unknown): number {
  if (!Array.isArray(results)) return 0;
  return results.filter((file: unknown) => {
    if (typeof file !== "object" || file === null) return false;
    const { status, assertionResults } = file as { status?: unknown; assertionResults?: unknown };
    const tests: unknown[] = Array.isArray(assertionResults) ? assertionResults : [];
    const failedTest = tests.some((t) => typeof t === "object" && t !== null && "status" in t && t.status === "failed");
    return status === "failed" && !failedTest;
  }).length;
}

/** The totals in a vitest JSON report, or undefined when there is none. */
export function readTotals(reportFile: string): Totals | undefined {
  if (!existsSync(reportFile)) return undefined;
  const report: unknown = JSON.parse(readFileSync(reportFile, "utf8"));
  if (typeof report !== "object" || report === null) return undefined;
  const r = report as Record<string, unknown>;
  const passed = count(r, "numPassedTests");
  const failed = count(r, "numFailedTests") + brokenFiles(r.testResults);
  // A run that executed nothing (its global set-up failed, say) is a failure, not a green zero.
  return {
    passed,
    failed: passed + failed === 0 ? 1 : failed,
    skipped: count(r, "numPendingTests") + count(r, "numTodoTests"),
  };
}

/** "N passed, N failed[, N skipped]". */
export function totalsLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ""}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
  const totals = readTotals(join(root, ".reports", "vitest.json"));
  process.stdout.write(`${totals ? totalsLine(totals) : "0 passed, 1 failed"}\n`);
  process.exit(totals && totals.failed === 0 && totals.passed > 0 ? 0 : 1);
}
