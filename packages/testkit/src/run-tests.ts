// `npm test`: runs vitest over the whole repo (extra CLI args are passed on) and ends with
// one line, alone, that scripts and people can read: "N passed, N failed[, N skipped]".
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const reportFile = join(root, ".reports", "vitest.json");

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function runVitest(args: string[]): Promise<number> {
  const bin = join(root, "node_modules", ".bin", "vitest");
  const reportArgs = ["--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`];
  const child = spawn(bin, ["run", ...reportArgs, ...args], { cwd: root, stdio: "inherit", env: process.env });
  return new Promise((resolve) => {
    child.once("error", (err) => {
      process.stderr.write(`could not start vitest: ${err.message}\n`);
      resolve(1);
    });
    child.once("close", (code) => resolve(code ?? 1));
  });
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

function readTotals(): Totals | undefined {
  if (!existsSync(reportFile)) return undefined;
  const report: unknown = JSON.parse(readFileSync(reportFile, "utf8"));
  if (typeof report !== "object" || report === null) return undefined;
  const r = report as Record<string, unknown>;
  return {
    passed: count(r, "numPassedTests"),
    failed: count(r, "numFailedTests") + brokenFiles(r.testResults),
    skipped: count(r, "numPendingTests") + count(r, "numTodoTests"),
  };
}

// A stale report from an earlier run must never be read as this run's result.
rmSync(reportFile, { force: true });
mkdirSync(dirname(reportFile), { recursive: true });
const code = await runVitest(process.argv.slice(2));
const totals = readTotals();
if (!totals) {
  process.stderr.write(`\nvitest (exit ${code}) wrote no report at ${relative(root, reportFile)}\n`);
  process.exit(1);
}
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exit(code !== 0 || totals.failed > 0 || totals.passed + totals.failed === 0 ? 1 : 0);
