import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchmarks } from "./benchmarks.js";
import type { LoadResult } from "./load.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** The machine a benchmark runs on, short: cores, CPU, memory, Node. */
export function machineShort(): string {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? "unknown CPU").replace(/\((R|TM)\)/g, "").replace(/\s+/g, " ");
  return `${cpu.length} × ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** One line naming the machine a benchmark ran on, and the day. */
export function machine(): string {
  return `Machine: ${machineShort()}, ${new Date().toISOString().slice(0, 10)}`;
}

/**
 * Ends a run: writes the full report (Markdown: every table, plans, settings) to
 * `.reports/bench/<name>-<date>-<time>.md` (git-ignored), and prints where, then `figure` as the
 * row of BENCHMARKS.md's table (goal, latest figure, date, machine, command).
 */
export function publish(name: string, report: string, figure: string): void {
  const now = new Date().toISOString();
  const dir = join(root, ".reports", "bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${now.slice(0, 10)}-${now.slice(11, 16).replace(":", "")}.md`);
  writeFileSync(file, `${report.trim()}\n`);
  const goal = benchmarks[name]?.goal ?? "";
  const row = `| [${name}](#${name}) | ${goal} | ${figure} | ${now.slice(0, 10)} | ${machineShort()} | \`npm run bench ${name}\` |`;
  process.stdout.write(`\nFull report: ${file}\n\nBENCHMARKS.md row:\n${row}\n`);
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

/** A Markdown table of load results, with each server's throughput relative to the first of its protocol. */
export function table(rows: { protocol: string; server: string; r: LoadResult }[]): string {
  const lines = [
    "| protocol | server | req/s | p50 ms | p99 ms | errors | server CPU µs/req | req/s vs. first | CPU efficiency vs. first |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const baseline = new Map<string, LoadResult>();
  for (const { protocol, server, r } of rows) {
    if (!baseline.has(protocol)) baseline.set(protocol, r);
    const first = baseline.get(protocol)!;
    lines.push(
      `| ${protocol} | ${server} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.errors, 0)} | ${fmt(r.cpuUsPerRequest ?? Number.NaN, 0)} | ${fmt(r.rps / first.rps)}× | ${fmt(efficiency(first, r))}× |`,
    );
  }
  return lines.join("\n");
}

/** Requests served per CPU second by `r`, relative to `first` (1.0 = same cost). */
export function efficiency(first: LoadResult, r: LoadResult): number {
  return (first.cpuUsPerRequest ?? Number.NaN) / (r.cpuUsPerRequest ?? Number.NaN);
}
