// `pnpm bench [name]`: runs a benchmark and prints its figures (copy them into BENCHMARKS.md).
const benchmarks: Record<string, () => Promise<unknown>> = {
  "chassis-overhead": () => import("./chassis-overhead.js"),
  "gateway-overhead": () => import("./gateway-overhead.js"),
  "devstack-footprint": () => import("./devstack-footprint.js"),
  "accommodation-search": () => import("./accommodation-search.js"),
};

const name = process.argv[2] ?? "chassis-overhead";
const run = benchmarks[name];
if (!run) {
  process.stderr.write(`unknown benchmark ${name}; one of: ${Object.keys(benchmarks).join(", ")}\n`);
  process.exit(2);
}
await run();
