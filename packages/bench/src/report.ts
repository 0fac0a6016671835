import { cpus, totalmem } from "node:os";
import type { LoadResult } from "./load.js";

/** One line naming the machine a benchmark ran on. */
export function machine(): string {
  const cpu = cpus();
  return `Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
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
    // Efficiency: requests served per CPU second, relative to the first row (1.0 = same cost).
    const efficiency = (first.cpuUsPerRequest ?? Number.NaN) / (r.cpuUsPerRequest ?? Number.NaN);
    lines.push(
      `| ${protocol} | ${server} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.errors, 0)} | ${fmt(r.cpuUsPerRequest ?? Number.NaN, 0)} | ${fmt(r.rps / first.rps)}× | ${fmt(efficiency)}× |`,
    );
  }
  return lines.join("\n");
}
