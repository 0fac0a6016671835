// Benchmark: guest search under load. GET /api/v1/accommodations:search (SearchAccommodations,
// public) through the gateway to the accommodation service, both started from their real
// main.ts (local read cache, no Redis), over a seed catalogue of BENCH_PROPERTIES properties, at
// fixed request rates: once with a popularity-weighted mix of distinct searches (the cache hit
// ratio that gives is measured and shown) and once with every search new (the uncached cost).
// Then EXPLAIN (ANALYZE, BUFFERS) of four representative search statements.
//
// Settings: BENCH_PROPERTIES (100000), BENCH_RATES (req/s, "200,500"), BENCH_SECONDS (20),
// BENCH_WARMUP (5), BENCH_QUERIES (distinct searches in the mix, 1000), BENCH_ZIPF (popularity
// exponent, 1), BENCH_CONNECTIONS (default rate/5, at least 20). The catalogue is kept between
// runs: the embedded server's data stays in .data/bench-postgres (or use a server of your own,
// TEST_DATABASE_URL=postgres://...).
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "@triphub/testkit";
import postgres from "postgres";
import { fixedRate, type RateResult } from "./fixed-rate.js";
import { processTree } from "./process-tree.js";
import { machine, publish } from "./report.js";
import { ensureSearchCatalogue, prewarm } from "./search-database.js";
import { explainSearches } from "./search-plans.js";
import { distinctSearches, queryString, type SearchSpec, zipfSampler } from "./search-queries.js";
import { cpuMsOf, type ServiceProcess, startService } from "./service-process.js";

const env = process.env;
const PROPERTIES = Number(env.BENCH_PROPERTIES ?? 100_000);
const RATES = (env.BENCH_RATES ?? "200,500").split(",").map(Number);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
const WARMUP = Number(env.BENCH_WARMUP ?? 5);
const QUERIES = Number(env.BENCH_QUERIES ?? 1000);
const ZIPF = Number(env.BENCH_ZIPF ?? 1);
const connectionsFor = (rate: number) => Number(env.BENCH_CONNECTIONS ?? Math.max(20, Math.ceil(rate / 5)));
const COLD = "cold (all distinct)";
const SEARCH_PATH = "/api/v1/accommodations:search";
const log = (line: string) => process.stderr.write(`accommodation-search: ${line}\n`);

// Everything started is stopped in reverse order: at the end, on an error and on Ctrl-C.
const cleanups: (() => Promise<unknown>)[] = [];
const cleanUp = async () => {
  for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => {});
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the services and PostgreSQL`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const today = new Date().toISOString().slice(0, 10);
const addDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
// Days from today to the first Friday at least `days` away (weekend nights cost more in the seed).
const fridayAfter = (days: number) => days + ((5 - new Date(Date.now() + days * 86_400_000).getUTCDay() + 7) % 7);
const stay = (from: number, nights: number) => ({ checkIn: addDays(from), checkOut: addDays(from + nights) });
const base = { children: 0, types: [], amenities: [], minRating: 0, freeCancellationOnly: false, secondPage: false };
const EXPLAINED: { label: string; spec: SearchSpec }[] = [
  { label: "city text: Seoul, 2 nights, 2 adults, relevance", spec: { ...base, destination: "Seoul", ...stay(30, 2), adults: 2 } },
  { label: "radius: 3 km around Haeundae (Busan), 1 night, nearest first", spec: { ...base, near: { latitude: 35.1631, longitude: 129.1636, radiusKm: 3 }, ...stay(45, 1), adults: 2, sort: "DISTANCE_ASC" } },
  {
    label: "filters: Jeju, hotel or resort, pool, ₩60,000-250,000, rating >= 4, free cancellation, 3 nights",
    spec: { ...base, destination: "Jeju", ...stay(60, 3), adults: 2, types: ["HOTEL", "RESORT"], amenities: ["POOL"], price: { currency: "KRW", min: 60_000, max: 250_000 }, minRating: 4, freeCancellationOnly: true },
  },
  { label: "price sort: Tokyo, 2 nights, cheapest first", spec: { ...base, destination: "Tokyo", ...stay(20, 2), adults: 2, sort: "PRICE_ASC" } },
  { label: "price sort: Seoul, a Friday and Saturday night, cheapest first", spec: { ...base, destination: "Seoul", ...stay(fridayAfter(14), 2), adults: 2, sort: "PRICE_ASC" } },
  { label: "price sort: Seoul, 3 nights, dearest first", spec: { ...base, destination: "Seoul", ...stay(40, 3), adults: 2, sort: "PRICE_DESC" } },
];

interface Row {
  queries: string;
  connections: number;
  r: RateResult;
  statementsPerRequest: number;
  /** CPU milliseconds per request answered, by process. */
  cpu: { accommodation: number; gateway: number; postgres: number; load: number };
  /** All four together: CPU time over wall time (2.0 = two cores busy). */
  cores: number;
}

async function fetchPage(gatewayUrl: string, s: SearchSpec): Promise<{ nextPageToken?: string; totalSize?: number }> {
  const res = await fetch(`${gatewayUrl}${SEARCH_PATH}?${queryString(s)}`);
  const body = await res.text();
  if (!res.ok) throw new Error(`search ${queryString(s)} answered ${res.status}: ${body.slice(0, 500)}`);
  return JSON.parse(body) as { nextPageToken?: string; totalSize?: number };
}

/** Fetches the first page of every second-page search for its token, and checks a sample of the rest answers 200. */
async function prepareMix(gatewayUrl: string, mix: SearchSpec[]): Promise<number[]> {
  const work = mix.filter((s, i) => s.secondPage || i % 25 === 0);
  const totals: number[] = [];
  const worker = async () => {
    for (let s = work.shift(); s; s = work.shift()) {
      const page = await fetchPage(gatewayUrl, { ...s, pageToken: undefined });
      totals.push(page.totalSize ?? 0);
      if (s.secondPage && page.nextPageToken) s.pageToken = page.nextPageToken;
      else s.secondPage = false; // a single page: ask for the first
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return totals.sort((a, b) => a - b);
}

async function main(): Promise<{ report: string; figure: string }> {
  // A quarter of the machine's memory for PostgreSQL's own cache, as a production server would
  // be set up: the default 128 MB is far below the catalogue's hot set, and this VM's page
  // cache gives memory back within minutes, so runs would otherwise read from disk.
  const sharedBuffers = `shared_buffers=${Math.max(128, Math.floor(totalmem() / 4 / 2 ** 20))}MB`;
  const pg = await startPostgres({ keepIn: join(fileURLToPath(new URL("../../..", import.meta.url)), ".data", "bench-postgres"), settings: [sharedBuffers] });
  cleanups.push(() => pg.stop());
  const catalogue = await ensureSearchCatalogue(pg.url, PROPERTIES, log);
  const warm = await prewarm(catalogue.url);
  log(`read ${warm.megabytes} MB of tables and indexes into shared buffers in ${warm.seconds.toFixed(0)} s`);
  const stats = postgres(pg.url, { max: 1, onnotice: () => {} });
  cleanups.push(() => stats.end());
  const accommodation = await startService("accommodation", "accommodation", { DATABASE_URL: catalogue.url, LOG_LEVEL: "warn" }, ["REDIS_URL"]);
  cleanups.push(() => accommodation.stop());
  const gateway = await startService("gateway", "gateway", { UPSTREAMS: `accommodation=${accommodation.url}`, LOG_LEVEL: "warn", RATE_LIMITS: "off" });
  cleanups.push(() => gateway.stop());

  log(`accommodation pid ${accommodation.pid} at ${accommodation.url}, gateway pid ${gateway.pid} at ${gateway.url}`);
  const db = postgres(catalogue.url, { max: 1, onnotice: () => {} });
  cleanups.push(() => db.end());
  const [size] = await db`select
      (select reltuples::bigint from pg_class where oid = 'properties'::regclass) as properties,
      (select reltuples::bigint from pg_class where oid = 'room_types'::regclass) as room_types,
      (select reltuples::bigint from pg_class where oid = 'inventory'::regclass) as inventory`.catch(() => [undefined]);
  const mix = distinctSearches(QUERIES, 1, today, true);
  const mixKeys = new Set(mix.map((s) => queryString(s)));
  log(`checking the mix and fetching first pages for the second-page searches (${mix.filter((s) => s.secondPage).length})...`);
  const totals = await prepareMix(gateway.url, mix);
  const mixPaths = mix.map((s) => `${SEARCH_PATH}?${queryString(s)}`);
  const popular = zipfSampler(mixPaths.length, ZIPF, 7);
  const nextMix = () => mixPaths[popular()]!;
  // The same mix without the price-sorted searches, which price every property at the place
  // (see store/search/ranked-walk.ts) and so dominate the database's time.
  const unpricedPaths = mix.filter((s) => !s.sort?.startsWith("PRICE")).map((s) => `${SEARCH_PATH}?${queryString(s)}`);
  const popularUnpriced = zipfSampler(unpricedPaths.length, ZIPF, 7);
  const nextUnpriced = () => unpricedPaths[popularUnpriced()]!;
  // Enough never-seen searches for every cold request (first pages only: a second page needs
  // the first one fetched, which would not be cold any more).
  const coldNeeded = Math.ceil(RATES.reduce((n, rate) => n + rate * (WARMUP + SECONDS), 0) * 1.1) + 1000;
  const cold = distinctSearches(coldNeeded + mix.length, 99, today, false).filter((s) => !mixKeys.has(queryString(s))).map((s) => `${SEARCH_PATH}?${queryString(s)}`);
  let coldNext = 0;
  const nextCold = () => cold[coldNext++ % cold.length]!;

  // Tree of this process: the embedded PostgreSQL's processes are its children.
  const postgresCpuMs = () =>
    pg.source === "embedded" ? processTree(process.pid).filter((p) => p.command.includes("postgres") && !p.command.includes("node")).reduce((s, p) => s + cpuMsOf(p.pid), 0) : Number.NaN;
  const statements = async () => Number((await stats`select xact_commit + xact_rollback as n from pg_stat_database where datname = ${catalogue.name}`)[0]?.n ?? 0);
  const snapshot = async (services: ServiceProcess[]) => {
    const load = process.cpuUsage();
    return { t: performance.now(), services: services.map((s) => s.cpuMs()), pg: postgresCpuMs(), load: (load.user + load.system) / 1000, statements: await statements() };
  };

  const rows: Row[] = [];
  const scenarios = [
    { queries: `mix of ${mix.length} (Zipf ${ZIPF})`, next: nextMix },
    { queries: `the mix without price sorts (${unpricedPaths.length})`, next: nextUnpriced },
    { queries: COLD, next: nextCold },
  ];
  for (const { queries, next } of scenarios) {
    for (const rate of RATES) {
      const connections = connectionsFor(rate);
      log(`${queries} at ${rate} req/s: ${WARMUP} s warm-up, ${SECONDS} s measured...`);
      await fixedRate(gateway.url, next, { rate, seconds: WARMUP, connections });
      const a = await snapshot([accommodation, gateway]);
      const r = await fixedRate(gateway.url, next, { rate, seconds: SECONDS, connections });
      const b = await snapshot([accommodation, gateway]);
      const used = { accommodation: b.services[0]! - a.services[0]!, gateway: b.services[1]! - a.services[1]!, postgres: b.pg - a.pg, load: b.load - a.load };
      const perRequest = (ms: number) => ms / Math.max(1, r.requests);
      rows.push({
        queries,
        connections,
        r,
        statementsPerRequest: (b.statements - a.statements) / Math.max(1, r.requests),
        cpu: { accommodation: perRequest(used.accommodation), gateway: perRequest(used.gateway), postgres: perRequest(used.postgres), load: perRequest(used.load) },
        cores: Object.values(used).reduce((x, y) => x + (Number.isFinite(y) ? y : 0), 0) / (b.t - a.t),
      });
    }
  }

  log("explaining the representative searches...");
  // The statement is built by the service's source, which moves; a failure here should not
  // throw away the load figures.
  const plans = await explainSearches(db, EXPLAINED, new Date()).catch((err: unknown) => {
    log(`EXPLAIN failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return [];
  });

  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
  const median = totals[Math.floor(totals.length / 2)] ?? Number.NaN;
  const withDates = mix.filter((s) => s.checkIn).length / mix.length;
  const out = [
    `\n## Accommodation search: ${PROPERTIES.toLocaleString("en")} properties, fixed rates, ${WARMUP} s warm-up + ${SECONDS} s per row\n`,
    `${machine()}; PostgreSQL from ${pg.source}${pg.source === "env" ? "" : ` (${sharedBuffers}, tables and indexes prewarmed)`}\n`,
    `Catalogue: database ${catalogue.name}, ${size ? `~${Number(size.properties).toLocaleString("en")} properties, ~${Number(size.room_types).toLocaleString("en")} room types, ~${Number(size.inventory).toLocaleString("en")} inventory rows` : "size unknown"} (${catalogue.status}).`,
    `Path: autocannon (keep-alive HTTP/1.1, overallRate) -> gateway main.ts (REST -> gRPC upstream) -> accommodation main.ts (local read cache: 5 s per entry; no Redis) -> PostgreSQL. Log level warn.`,
    `Mix: ${mix.length} distinct searches (${f(withDates * 100)}% with dates, ${mix.filter((s) => s.near).length} radius, ${mix.filter((s) => s.secondPage).length} second pages, median ${f(median)} matches per search), each request drawn with Zipf popularity (weight 1/rank^${ZIPF}). Cold: every request a first page not requested before.`,
    `"DB statements/req": the database's transactions over the requests answered (an uncached search runs one or two statements, a cached one none). "Cache hits" compares that with the cold row at the same rate: 1 - mix/cold. CPU: milliseconds of CPU time per request answered, by process (from /proc; PostgreSQL only when the testkit started it), and all of them together in cores busy (the machine has ${cpus().length}).\n`,
    "| queries | target req/s | achieved req/s | connections | p50 ms | p90 ms | p99 ms | max ms | errors + non-2xx | DB statements/req | cache hits | CPU ms/req accommodation | gateway | PostgreSQL | load generator | cores busy |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(({ queries, connections, r, statementsPerRequest, cpu, cores }) => {
      const cold = rows.find((x) => x.queries === COLD && x.r.targetRps === r.targetRps);
      const hits = queries === COLD || !cold ? "n/a" : `${f((1 - statementsPerRequest / cold.statementsPerRequest) * 100)}%`;
      return `| ${queries} | ${r.targetRps} | ${f(r.achievedRps)} | ${connections} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p99)} | ${f(r.max)} | ${r.errors} + ${r.non2xx} | ${f(statementsPerRequest, 2)} | ${hits} | ${f(cpu.accommodation, 2)} | ${f(cpu.gateway, 2)} | ${f(cpu.postgres, 2)} | ${f(cpu.load, 2)} | ${f(cores, 2)} |`;
    }),
    "\nEXPLAIN (ANALYZE, BUFFERS) of the statements behind a first page (warm, second run; a destination text first runs a lookup of how it matches):\n",
    "| search | execution ms | buffers (root node) |",
    "|---|---:|---|",
    ...plans.map((p) => `| ${p.label} | ${f(p.executionMs, 2)} | ${p.buffers} |`),
    "\n### Query plans\n",
    ...plans.map((p) => `${p.label}:\n\n\`\`\`\n${p.plan}\n\`\`\`\n`),
  ];
  // The row the target is about (the full mix at the highest rate), and all-cold traffic there.
  const top = Math.max(...RATES);
  const mixRow = rows.find((x) => x.queries === scenarios[0]!.queries && x.r.targetRps === top);
  const coldRow = rows.find((x) => x.queries === COLD && x.r.targetRps === top);
  const figure = mixRow
    ? `full mix at ${top} req/s: ${f(mixRow.r.achievedRps)} achieved, p50 ${f(mixRow.r.p50)} ms, p99 ${f(mixRow.r.p99)} ms${coldRow ? `; all cold: ${f(coldRow.r.achievedRps)} req/s` : ""}`
    : "no rows";
  return { report: out.join("\n"), figure };
}

try {
  const { report, figure } = await main();
  await cleanUp();
  publish("accommodation-search", report, figure);
} catch (err) {
  await cleanUp();
  throw err;
}
