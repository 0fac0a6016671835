// `npm run bench [name]`: runs a benchmark; it writes its full report under .reports/bench/ and
// prints a one-line summary, the row of BENCHMARKS.md's table. Without a name: the list.
import { benchmarks } from "./benchmarks.js";

const name = process.argv[2];
const bench = name === undefined ? undefined : benchmarks[name];
if (bench === undefined) {
  const width = Math.max(...Object.keys(benchmarks).map((n) => n.length));
  const list = Object.entries(benchmarks).map(([n, b]) => `  ${n.padEnd(width)}  ${b.measures}\n  ${"".padEnd(width)}  goal: ${b.goal}`);
  const out = name === undefined ? process.stdout : process.stderr;
  if (name !== undefined) out.write(`unknown benchmark ${name}\n`);
  out.write(`usage: npm run bench <name>\n\n${list.join("\n")}\n\nSettings (BENCH_SECONDS, BENCH_ROUNDS, ...) are in each bench's source, packages/bench/src/<name>.ts.\n`);
  process.exit(name === undefined ? 0 : 2);
}
await bench.load();
