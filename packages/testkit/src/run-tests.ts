// `npm test`: runs vitest over the whole repo (extra CLI args are passed on) and ends with
// one line, alone, that scripts and people can read: "N passed, N failed[, N skipped]".
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { readTotals, totalsLine } from "./totals.js";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const reportFile = join(root, ".reports", "vitest.json");

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

// A stale report from an earlier run must never be read as this run's result.
rmSync(reportFile, { force: true });
mkdirSync(dirname(reportFile), { recursive: true });
const code = await runVitest(process.argv.slice(2));
const totals = readTotals(reportFile);
if (!totals) {
  process.stderr.write(`\nvitest (exit ${code}) wrote no report at ${relative(root, reportFile)}\n`);
  process.exit(1);
}
process.stdout.write(`\n${totalsLine(totals)}\n`);
process.exit(code !== 0 || totals.failed > 0 || totals.passed + totals.failed === 0 ? 1 : 0);
