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
  const lines = ["| protocol | server | req/s | p50 ms | p99 ms | errors | vs. first |", "|---|---|---:|---:|---:|---:|---:|"];
  const baseline = new Map<string, number>();
  for (const { protocol, server, r } of rows) {
    if (!baseline.has(protocol)) baseline.set(protocol, r.rps);
    const ratio = r.rps / baseline.get(protocol)!;
    lines.push(`| ${protocol} | ${server} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.errors, 0)} | ${fmt(ratio)}× |`);
  }
  return lines.join("\n");
}
