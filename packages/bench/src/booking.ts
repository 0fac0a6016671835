// Benchmark: bookings end to end. POST /api/v1/reservations through the gateway runs the
// reservation service's saga (accommodation HoldInventory -> payment AuthorizePayment ->
// ConfirmHold + CapturePayment); auth, accommodation, payment, reservation and the gateway each
// run from their real main.ts with service identities, on one embedded PostgreSQL (a database
// per service). Set-up, not measured: hosts list BENCH_ROOM_TYPES room types of BENCH_UNITS
// rooms through the API, BENCH_GUESTS guests sign up once and keep their tokens.
//
// 1. Spread: BENCH_CONCURRENCY bookings in flight (closed loop) for BENCH_SECONDS after
//    BENCH_WARMUP s, each one unit of a random room type for a random 1-3 night stay over the
//    next BENCH_DAYS days (so a night rarely sells out), paid with tok_visa, a fresh
//    Idempotency-Key each. Confirmed bookings per second, what else came back and why,
//    CreateReservation latency, CPU by process (PostgreSQL's split by the database its backend
//    serves), statements and transactions per booking by database.
// 2. Contention: one room type of BENCH_CONTENTION_UNITS rooms, BENCH_CONTENTION_GUESTS
//    workers booking the same two nights until each is told ROOMS_UNAVAILABLE. Exactly as many
//    confirmed as there are rooms, how long selling out took, latency.
//
// Before 1, BENCH_SEQUENTIAL (30) bookings one at a time: the latency with nothing queued.
//
// Settings (defaults): BENCH_ROOM_TYPES (200), BENCH_UNITS (20), BENCH_HOSTS (10), BENCH_GUESTS
// (50), BENCH_CONCURRENCY (64), BENCH_SECONDS (20), BENCH_WARMUP (5), BENCH_DAYS (180),
// BENCH_CONTENTION_UNITS (50), BENCH_CONTENTION_GUESTS (200), BENCH_LOG_LEVEL (warn, the
// services'), BENCH_TIMEOUT_MINUTES (15: a hung run stops everything it started).
// PostgreSQL runs durable by default (fsync and synchronous commit on, as `npm start` runs it);
// BENCH_DURABLE=0 keeps the testkit's fast settings (fsync off). BENCH_CPU_PROFILE=<dir> writes
// V8 CPU profiles of the five services.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { startPostgres } from "@triphub/testkit";
import postgres from "postgres";
import { type Answer, closedLoopBookings, isConfirmed, latencies, outcomeCounts, settlePending } from "./booking-load.js";
import { BOOKING_DATABASES, type BookableRoomType, type BookingPlatform, calendarOf, inParallel, listRoomType, signUpUsers, startBookingPlatform } from "./booking-platform.js";
import { processTree } from "./process-tree.js";
import { machine, publish } from "./report.js";
import { cpuMsOf } from "./service-process.js";

const env = process.env;
const ROOM_TYPES = Number(env.BENCH_ROOM_TYPES ?? 200);
const UNITS = Number(env.BENCH_UNITS ?? 20);
const HOSTS = Number(env.BENCH_HOSTS ?? 10);
const GUESTS = Number(env.BENCH_GUESTS ?? 50);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 64);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
const WARMUP = Number(env.BENCH_WARMUP ?? 5);
const DAYS = Number(env.BENCH_DAYS ?? 180);
const CONTENTION_UNITS = Number(env.BENCH_CONTENTION_UNITS ?? 50);
const CONTENTION_GUESTS = Number(env.BENCH_CONTENTION_GUESTS ?? 200);
const SEQUENTIAL = Number(env.BENCH_SEQUENTIAL ?? 30);
const DURABLE = env.BENCH_DURABLE !== "0";
const TARGET = 300;
/** Key of a CPU sample: the whole machine, this benchmark's processes and everyone else's. */
const MACHINE = "whole machine";
const FIRST_DAY = 14;
const log = (line: string) => process.stderr.write(`booking: ${line}\n`);

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
// A run takes a minute or two; one that hangs (a service stuck at start, a query that never
// returns) is stopped, with everything it started.
const WATCHDOG_MINUTES = Number(env.BENCH_TIMEOUT_MINUTES ?? 15);
setTimeout(() => {
  log(`still running after ${WATCHDOG_MINUTES} minutes: stopping everything`);
  void cleanUp().finally(() => process.exit(1));
}, WATCHDOG_MINUTES * 60_000).unref();

// Answers that came within the measured window: the ones in flight at its end finish with
// fewer and fewer in flight, and would make the rate look lower than it is.
const inWindow = (answers: Answer[]) => answers.filter((a) => a.at <= SECONDS * 1000);
const addDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** CPU used so far, ms: each service, PostgreSQL by the database its backends serve, and this process. */
type CpuSample = Record<string, number>;

async function main(): Promise<{ report: string; figure: string }> {
  const settings = ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"];
  if (DURABLE) settings.push("fsync=on", "synchronous_commit=on", "full_page_writes=on");
  const pg = await startPostgres({ settings });
  cleanups.push(() => pg.stop());
  const stats = postgres(pg.url, { max: 1, onnotice: () => {} });
  cleanups.push(() => stats.end());
  const statementsTracked = await stats`create extension if not exists pg_stat_statements`.then(
    () => true,
    () => false,
  );

  log(`starting auth, accommodation, payment, reservation and the gateway (PostgreSQL from ${pg.source}, ${DURABLE ? "durable" : "fsync off"})...`);
  const p: BookingPlatform = await startBookingPlatform(pg.url, (s) => cleanups.push(() => s.stop()));
  log(`gateway at ${p.gateway.url}; signing up ${HOSTS} hosts and ${GUESTS} guests...`);
  let t0 = performance.now();
  const { hosts, guests } = await signUpUsers(p, { hosts: HOSTS, guests: GUESTS });
  const signUpSeconds = (performance.now() - t0) / 1000;
  log(`listing ${ROOM_TYPES} room types of ${UNITS} rooms...`);
  t0 = performance.now();
  const roomTypes = await inParallel(ROOM_TYPES, 4, (i) => listRoomType(p, hosts[i % hosts.length]!, i, UNITS));
  const contended = await listRoomType(p, hosts[0]!, ROOM_TYPES, CONTENTION_UNITS);
  const listSeconds = (performance.now() - t0) / 1000;

  const spread = () => {
    const from = FIRST_DAY + Math.floor(Math.random() * DAYS);
    return { guest: pick(guests), roomType: pick(roomTypes), checkIn: addDays(from), checkOut: addDays(from + 1 + Math.floor(Math.random() * 3)) };
  };

  // PostgreSQL's processes are this process's children (embedded); a backend serves one database.
  const postgresPids = () => processTree(process.pid).filter((x) => x.command.includes("postgres") && !x.command.includes("node"));
  const cpuSample = async (): Promise<CpuSample> => {
    const byPid = new Map((await stats<{ pid: number; datname: string | null }[]>`select pid, datname from pg_stat_activity`).map((r) => [r.pid, r.datname]));
    const out: CpuSample = {};
    for (const s of p.services) out[s.name] = s.cpuMs();
    for (const x of postgresPids()) {
      const db = byPid.get(x.pid);
      const key = `PostgreSQL: ${db && BOOKING_DATABASES.includes(db as never) ? db.replace("triphub_", "") : "other"}`;
      out[key] = (out[key] ?? 0) + cpuMsOf(x.pid);
    }
    const self = process.cpuUsage();
    out["load generator"] = (self.user + self.system) / 1000;
    out[MACHINE] = machineBusyMs();
    return out;
  };
  const dbSample = async () => {
    const xacts = await stats<{ datname: string; xacts: number; inserted: number; updated: number }[]>`
      select datname, (xact_commit + xact_rollback)::float8 as xacts, tup_inserted::float8 as inserted, tup_updated::float8 as updated
      from pg_stat_database where datname like 'triphub_%'`;
    const calls = statementsTracked
      ? await stats<{ datname: string; calls: number }[]>`
          select d.datname, sum(s.calls)::float8 as calls from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname like 'triphub_%' group by d.datname`
      : [];
    return Object.fromEntries(
      xacts.map((x) => [x.datname, { xacts: x.xacts, inserted: x.inserted, updated: x.updated, calls: calls.find((c) => c.datname === x.datname)?.calls ?? (statementsTracked ? 0 : Number.NaN) }]),
    );
  };

  // One at a time first: what a booking costs end to end with nothing queued in front of it.
  log(`${SEQUENTIAL} bookings one at a time...`);
  let sent = 0;
  const sequential = await closedLoopBookings(p.gateway.url, () => (sent++ < SEQUENTIAL ? spread() : undefined), { concurrency: 1, seconds: 60 });
  log(`warm-up: ${WARMUP} s at ${CONCURRENCY} in flight...`);
  const warm = await closedLoopBookings(p.gateway.url, () => spread(), { concurrency: CONCURRENCY, seconds: WARMUP });
  await settlePending(p.gateway.url, warm.answers);
  log(`warm-up: ${warm.answers.filter((a) => isConfirmed(a.outcome)).length} confirmed of ${warm.answers.length}; measuring ${SECONDS} s...`);
  // Statements are counted from here on: the top ones by time are listed in the report.
  if (statementsTracked) await stats`select pg_stat_statements_reset()`;
  const cpuBefore = await cpuSample();
  const dbBefore = await dbSample();
  const load = loadAverage();
  const run = await closedLoopBookings(p.gateway.url, () => spread(), { concurrency: CONCURRENCY, seconds: SECONDS });
  const cpuAfter = await cpuSample();
  const dbAfter = await dbSample();
  const topStatements = statementsTracked
    ? await stats<{ datname: string; query: string; calls: number; totalMs: number; meanMs: number }[]>`
        select d.datname, s.query, s.calls::float8 as calls, s.total_exec_time as "totalMs", s.mean_exec_time as "meanMs"
        from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname like 'triphub_%' order by s.total_exec_time desc limit 15`
    : [];
  const frequentStatements = statementsTracked
    ? await stats<{ datname: string; query: string; calls: number; totalMs: number; meanMs: number }[]>`
        select d.datname, s.query, s.calls::float8 as calls, s.total_exec_time as "totalMs", s.mean_exec_time as "meanMs"
        from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname like 'triphub_%' order by s.calls desc limit 25`
    : [];
  const pendingAtAnswer = run.answers.filter((a) => a.outcome === "pending").length;
  await settlePending(p.gateway.url, run.answers);
  const confirmed = inWindow(run.answers).filter((a) => isConfirmed(a.outcome)).length;
  const confirmedPerSecond = confirmed / SECONDS;
  log(`${confirmed} confirmed in ${SECONDS} s: ${confirmedPerSecond.toFixed(0)}/s`);

  log(`contention: ${CONTENTION_GUESTS} guests after ${CONTENTION_UNITS} rooms on the same two nights...`);
  const nights = { checkIn: addDays(FIRST_DAY + DAYS + 10), checkOut: addDays(FIRST_DAY + DAYS + 12) };
  const contention = await closedLoopBookings(
    p.gateway.url,
    // Each worker books until it is told the rooms are gone (or something else stops it).
    (w, last) => (last && !isConfirmed(last.outcome) && last.outcome !== "pending" ? undefined : { guest: guests[w % guests.length]!, roomType: contended, ...nights }),
    { concurrency: CONTENTION_GUESTS, seconds: 120 },
  );
  await settlePending(p.gateway.url, contention.answers);
  const calendar = await calendarOf(p, hosts[0]!, contended, nights.checkIn, nights.checkOut);
  const report = buildReport({ p, run, cpuBefore, cpuAfter, dbBefore, dbAfter, pendingAtAnswer, contention, calendar, contended, statementsTracked, topStatements, frequentStatements, sequential, signUpSeconds, listSeconds, load, durable: DURABLE, source: pg.source });
  const contentionConfirmed = contention.answers.filter((a) => isConfirmed(a.outcome)).length;
  const soldOutMs = Math.max(0, ...contention.answers.filter((a) => isConfirmed(a.outcome)).map((a) => a.at));
  const l = latencies(run.answers);
  const figure =
    `spread over ${ROOM_TYPES} room types, ${CONCURRENCY} in flight: **${confirmedPerSecond.toFixed(0)} confirmed/s**, CreateReservation p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms; ` +
    `one room type: ${contentionConfirmed} of ${CONTENTION_UNITS} rooms confirmed (${contention.answers.length} requests), sold out in ${(soldOutMs / 1000).toFixed(1)} s ` +
    `(${confirmedPerSecond >= TARGET && contentionConfirmed === CONTENTION_UNITS ? "met" : "not met"})`;
  return { report, figure };
}

/** CPU time the whole machine has used so far, ms (Linux /proc/stat: every state but idle and iowait). */
const machineBusyMs = () => {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  return (busy * 1000) / 100;
};
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** A statement's figures from pg_stat_statements. */
interface Statement {
  datname: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

interface ReportInput {
  p: BookingPlatform;
  run: { answers: Answer[]; seconds: number };
  cpuBefore: CpuSample;
  cpuAfter: CpuSample;
  dbBefore: Record<string, { xacts: number; inserted: number; updated: number; calls: number }>;
  dbAfter: Record<string, { xacts: number; inserted: number; updated: number; calls: number }>;
  pendingAtAnswer: number;
  contention: { answers: Answer[]; seconds: number };
  sequential: { answers: Answer[]; seconds: number };
  calendar: { date: string; booked: number; held: number; remaining: number }[];
  contended: BookableRoomType;
  statementsTracked: boolean;
  topStatements: Statement[];
  frequentStatements: Statement[];
  signUpSeconds: number;
  listSeconds: number;
  load: string;
  durable: boolean;
  source: string;
}

function buildReport(r: ReportInput): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
  const { run, contention } = r;
  const confirmed = inWindow(run.answers).filter((a) => isConfirmed(a.outcome));
  const all = latencies(run.answers);
  const ok = latencies(run.answers.filter((a) => isConfirmed(a.outcome)));
  const seq = latencies(r.sequential.answers);
  const wall = run.seconds * 1000;
  const machineMs = (r.cpuAfter[MACHINE] ?? 0) - (r.cpuBefore[MACHINE] ?? 0);
  const cpuRows = Object.keys(r.cpuAfter)
    .filter((k) => k !== MACHINE)
    .map((k) => ({ k, ms: (r.cpuAfter[k] ?? 0) - (r.cpuBefore[k] ?? 0) }))
    .filter((x) => x.ms > 0)
    .sort((a, b) => b.ms - a.ms);
  const cpuTotal = cpuRows.reduce((s, x) => s + x.ms, 0);
  // CPU and statements are counted until the last answer, so over every confirmed booking of the run.
  const perBooking = (n: number) => n / Math.max(1, run.answers.filter((a) => isConfirmed(a.outcome)).length);
  const dbRows = Object.keys(r.dbAfter)
    .sort()
    .map((db) => {
      const a = r.dbAfter[db]!;
      const b = r.dbBefore[db] ?? { xacts: 0, inserted: 0, updated: 0, calls: 0 };
      return `| ${db} | ${f(perBooking(a.calls - b.calls), 1)} | ${f(perBooking(a.xacts - b.xacts), 1)} | ${f(perBooking(a.inserted - b.inserted), 1)} | ${f(perBooking(a.updated - b.updated), 1)} |`;
    });
  const statementRow = (x: Statement) =>
    `| ${x.datname.replace("triphub_", "")} | \`${x.query.replace(/\s+/g, " ").replace(/\|/g, "\\|").slice(0, 160)}\` | ${f(perBooking(x.calls), 2)} | ${f(x.meanMs, 3)} | ${f(x.totalMs)} |`;
  const cConfirmed = contention.answers.filter((a) => isConfirmed(a.outcome));
  const c = latencies(contention.answers);
  const soldOutMs = Math.max(0, ...cConfirmed.map((a) => a.at));
  return [
    `## Booking: ${ROOM_TYPES} room types × ${UNITS} rooms, ${CONCURRENCY} in flight, ${WARMUP} s warm-up + ${SECONDS} s measured\n`,
    `${machine()}; load average before the run ${r.load}. PostgreSQL from ${r.source}, ${r.durable ? "durable (fsync, synchronous_commit and full_page_writes on, as `npm start`)" : "fast settings (fsync off, synchronous_commit off)"}.`,
    `Path: fetch (keep-alive HTTP/1.1) -> gateway -> reservation (saga: accommodation HoldInventory -> payment AuthorizePayment -> ConfirmHold + CapturePayment, each gRPC with service tokens) -> PostgreSQL; every service its own process from its real main.ts, log level warn. Set-up (not measured): ${HOSTS} hosts and ${GUESTS} guests signed up in ${f(r.signUpSeconds, 1)} s, ${ROOM_TYPES + 1} room types listed through the API in ${f(r.listSeconds, 1)} s. Each booking: 1 unit, 1 adult, 1-3 nights from ${FIRST_DAY}-${FIRST_DAY + DAYS} days ahead, tok_visa, a random guest of the pool, a fresh Idempotency-Key.\n`,
    "### Spread over many room types\n",
    "| measure | value |",
    "|---|---:|",
    `| bookings answered in the ${SECONDS} s | ${inWindow(run.answers).length} (${f(inWindow(run.answers).length / SECONDS)}/s; ${run.answers.length} with those in flight at the end, answered by ${f(run.seconds, 1)} s) |`,
    `| **confirmed / s** | **${f(confirmed.length / SECONDS)}** (${confirmed.length}; target ${TARGET}) |`,
    `| answered while the saga still ran (CREATE_WAIT_MS passed), settled later | ${r.pendingAtAnswer} |`,
    `| CreateReservation latency, all answers: p50 / p99 / p99.9 / max | ${f(all.p50)} / ${f(all.p99)} / ${f(all.p999)} / ${f(all.max)} ms |`,
    `| confirmed answers only: p50 / p99 / p99.9 | ${f(ok.p50)} / ${f(ok.p99)} / ${f(ok.p999)} ms |`,
    `| before the run, ${seq.n} bookings one at a time (nothing queued): p50 / max | ${f(seq.p50)} / ${f(seq.max)} ms (${outcomeCounts(r.sequential.answers).map(([o, n]) => `${n} ${o}`).join(", ")}) |\n`,
    "Outcomes (`late ...`: answered in progress, final state read afterwards):\n",
    "| outcome | count | per second |",
    "|---|---:|---:|",
    ...outcomeCounts(run.answers).map(([o, n]) => `| ${o} | ${n} | ${f(n / run.seconds, 1)} |`),
    `\nCPU from the start of the measured window to its last answer (${f(run.seconds, 1)} s), by process (PostgreSQL backends by the database they serve; "other": its background processes). The machine has ${cpus().length} cores; all together used ${f(cpuTotal / wall, 2)} cores, while the whole machine was busy on ${f(machineMs / wall, 2)} (the rest: other work on the machine).\n`,
    "| process | CPU ms per confirmed booking | share | cores busy |",
    "|---|---:|---:|---:|",
    ...cpuRows.map((x) => `| ${x.k} | ${f(perBooking(x.ms), 2)} | ${f((x.ms / cpuTotal) * 100)}% | ${f(x.ms / wall, 2)} |`),
    `| all | ${f(perBooking(cpuTotal), 2)} | 100% | ${f(cpuTotal / wall, 2)} |`,
    `\nDatabase work per confirmed booking, by service database ("statements": pg_stat_statements calls, each a round trip from the service${r.statementsTracked ? "" : "; not available on this server"}; BEGIN/COMMIT included):\n`,
    "| database | statements | transactions | rows inserted | rows updated |",
    "|---|---:|---:|---:|---:|",
    ...dbRows,
    `\nThe statements that took the most database time over the run (execution time inside PostgreSQL, all calls; ${f(perBooking(r.topStatements.reduce((a, x) => a + x.totalMs, 0)), 2)} ms per confirmed booking for these ${r.topStatements.length}):\n`,
    "| database | statement | calls per booking | mean ms | total ms |",
    "|---|---|---:|---:|---:|",
    ...r.topStatements.map(statementRow),
    "\nThe statements sent most often (the round trips):\n",
    "| database | statement | calls per booking | mean ms | total ms |",
    "|---|---|---:|---:|---:|",
    ...r.frequentStatements.map(statementRow),
    `\n### Contention: one room type, ${CONTENTION_UNITS} rooms, ${CONTENTION_GUESTS} guests on the same two nights\n`,
    "| measure | value |",
    "|---|---:|",
    `| requests until every worker was told the rooms are gone | ${contention.answers.length} in ${f(contention.seconds, 1)} s |`,
    `| **confirmed** | **${cConfirmed.length}** of ${CONTENTION_UNITS} rooms (${cConfirmed.length === CONTENTION_UNITS ? "exact" : "WRONG"}) |`,
    `| sold out (last confirmation answered) after | ${f(soldOutMs / 1000, 2)} s |`,
    `| CreateReservation latency: p50 / p99 / max | ${f(c.p50)} / ${f(c.p99)} / ${f(c.max)} ms |`,
    `| calendar afterwards (booked / held / remaining per night) | ${r.calendar.map((d) => `${d.date}: ${d.booked}/${d.held}/${d.remaining}`).join(", ")} |\n`,
    "| outcome | count |",
    "|---|---:|",
    ...outcomeCounts(contention.answers).map(([o, n]) => `| ${o} | ${n} |`),
  ].join("\n");
}

try {
  const { report, figure } = await main();
  await cleanUp();
  publish("booking", report, figure);
} catch (err) {
  await cleanUp();
  throw err;
}
