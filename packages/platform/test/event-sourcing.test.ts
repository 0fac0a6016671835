import { fileURLToPath } from "node:url";
import { Code } from "@connectrpc/connect";
import { freshDatabase } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../src/domain-error.js";
import {
  type Aggregate,
  type AppendedEvent,
  appendToStream,
  createEventStore,
  type Decider,
  eventsTable,
  type EventCodec,
  type EventDb,
  type EventTx,
  fold,
  type HandleCommandOptions,
  handleCommand,
  loadStream,
  rebuildProjections,
  withEventMetadata,
  writeTransaction,
} from "../src/events/index.js";
import { toConnectError } from "../src/index.js";

// A toy event-sourced aggregate: an account that may never be overdrawn.
type Command = { type: "open"; owner: string } | { type: "deposit"; amount: number } | { type: "withdraw"; amount: number };
type State = { status: "none" } | { status: "open"; owner: string; balance: number };
type Event =
  | { type: "Opened"; owner: string; at: string }
  | { type: "Deposited"; amount: number }
  | { type: "Withdrawn"; amount: number };

const account: Decider<Command, State, Event> = {
  initialState: { status: "none" },
  decide(command, state, now) {
    if (command.type === "open") {
      if (state.status === "open") throw new DomainError("precondition", "account already open");
      return [{ type: "Opened", owner: command.owner, at: now.toISOString() }];
    }
    if (state.status !== "open") throw new DomainError("precondition", "account not open");
    if (command.amount <= 0) throw new DomainError("invalid", "amount must be positive");
    if (command.type === "deposit") return [{ type: "Deposited", amount: command.amount }];
    if (command.amount > state.balance) throw new DomainError("precondition", "insufficient funds");
    return [{ type: "Withdrawn", amount: command.amount }];
  },
  evolve(state, event) {
    if (event.type === "Opened") return { status: "open", owner: event.owner, balance: 0 };
    if (state.status !== "open") return state;
    return { ...state, balance: state.balance + (event.type === "Deposited" ? event.amount : -event.amount) };
  },
};

// JSON stands in for the proto binary a real service records.
const codec: EventCodec<Event> = {
  encode: (e) => ({ type: `test.v1.Account${e.type}`, payload: new TextEncoder().encode(JSON.stringify(e)) }),
  decode: (_type, payload) => JSON.parse(new TextDecoder().decode(payload)) as Event,
};

const log = { table: "events", channel: "test_events" };
const accounts: Aggregate<Command, State, Event> = { log, streamType: "account", decider: account, codec };

// One projection, written live into "accounts" and replayed into a fresh table by the rebuild.
async function applyToAccounts(tx: EventTx, table: string, e: Omit<AppendedEvent<Event>, "state">): Promise<void> {
  const t = sql.identifier(table);
  if (e.event.type === "Opened") {
    await tx.execute(sql`insert into ${t} (id, owner, balance, version, opened_at)
      values (${e.streamId}, ${e.event.owner}, 0, ${e.version}, ${e.event.at}::timestamptz)`);
    return;
  }
  const delta = e.event.type === "Deposited" ? e.event.amount : -e.event.amount;
  await tx.execute(sql`update ${t} set balance = balance + ${delta}, version = ${e.version} where id = ${e.streamId}`);
}
const project = async (tx: EventTx, events: readonly AppendedEvent<Event>[]) => {
  for (const e of events) await applyToAccounts(tx, "accounts", e);
};

const now = new Date("2026-12-04T10:00:00.000Z");
let client: postgres.Sql;
let db: EventDb;

beforeAll(async () => {
  const migrationsFolder = fileURLToPath(new URL("./fixtures/event-migrations", import.meta.url));
  client = postgres(await freshDatabase({ migrationsFolder, name: "event_sourcing" }), { max: 10, onnotice: () => {} });
  db = drizzle(client);
});
afterAll(async () => {
  await client?.end();
});

const run = (id: string, command: Command, opts: HandleCommandOptions<Event> = {}) =>
  handleCommand(db, accounts, id, command, now, { project, ...opts });

async function versionsOf(id: string): Promise<number[]> {
  return (await loadStream(db, log, { streamType: "account", streamId: id })).map((r) => r.streamVersion);
}

describe("eventsTable", () => {
  it("describes the table the toolkit writes: its columns and the constraints it relies on", async () => {
    const config = getTableConfig(eventsTable("events"));
    const columns = await db.execute<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_name = 'events' order by column_name`,
    );
    expect(config.columns.map((c) => c.name).sort()).toEqual(columns.map((c) => c.column_name));
    const constraints = await db.execute<{ conname: string }>(
      sql`select conname from pg_constraint where conrelid = 'events'::regclass and contype in ('u', 'c') order by conname`,
    );
    const named = [...config.uniqueConstraints.map((u) => u.name), ...config.checks.map((c) => c.name)];
    const uniqueColumns = config.columns.filter((c) => c.isUnique).map((c) => c.uniqueName);
    expect([...named, ...uniqueColumns].sort()).toEqual(constraints.map((c) => c.conname));
  });
});

describe("the decider", () => {
  it("decides and evolves without side effects, taking the time it is given", () => {
    const opened = fold(account, [{ type: "Opened", owner: "ann", at: now.toISOString() }]);
    const frozen = Object.freeze({ ...opened });
    const deposit: Command = { type: "deposit", amount: 5 };
    expect(account.decide(deposit, frozen, now)).toEqual(account.decide(deposit, frozen, now));
    expect(fold(account, [{ type: "Deposited", amount: 5 }], frozen)).toEqual({ status: "open", owner: "ann", balance: 5 });
    expect(frozen).toEqual({ status: "open", owner: "ann", balance: 0 });
    const later = new Date("2030-01-01T00:00:00.000Z");
    expect(account.decide({ type: "open", owner: "bob" }, account.initialState, later)).toEqual([
      { type: "Opened", owner: "bob", at: later.toISOString() },
    ]);
    expect(() => account.decide({ type: "withdraw", amount: 1 }, frozen, now)).toThrow("insufficient funds");
  });
});

describe("handleCommand", () => {
  it("records each event at the time its command was decided, and hands that time to the codec", async () => {
    const decidedAt = new Date("2031-05-06T07:08:09.123Z");
    const seen: Date[] = [];
    const timed: Aggregate<Command, State, Event> = {
      ...accounts,
      codec: {
        ...codec,
        decode: (type, payload, occurTime) => {
          seen.push(occurTime);
          return codec.decode(type, payload, occurTime);
        },
      },
    };
    await handleCommand(db, timed, "a-time", { type: "open", owner: "tim" }, decidedAt, { project });
    await handleCommand(db, timed, "a-time", { type: "deposit", amount: 1 }, now, { project });
    const history = await loadStream(db, log, { streamType: "account", streamId: "a-time" });
    expect(history.map((e) => e.occurTime.toISOString())).toEqual([decidedAt.toISOString(), now.toISOString()]);
    expect(seen.map((d) => d.toISOString())).toEqual([decidedAt.toISOString()]);
  });

  it("appends at the next stream version, projects in the same transaction and records the event metadata", async () => {
    const opened = await withEventMetadata({ actor_id: "u1" }, () => run("a-basic", { type: "open", owner: "ann" }));
    expect(opened).toMatchObject({ version: 1, state: { status: "open", owner: "ann", balance: 0 } });
    const deposited = await run("a-basic", { type: "deposit", amount: 30 });
    expect(deposited).toMatchObject({ version: 2, state: { balance: 30 }, events: [{ type: "Deposited", amount: 30 }] });
    const history = await loadStream(db, log, { streamType: "account", streamId: "a-basic" });
    expect(history.map((r) => [r.streamVersion, r.type])).toEqual([
      [1, "test.v1.AccountOpened"],
      [2, "test.v1.AccountDeposited"],
    ]);
    expect(history[0]?.metadata).toEqual({ actor_id: "u1" });
    expect(history[0]!.position).toBeLessThan(history[1]!.position);
    const [row] = await db.execute(sql`select owner, balance::int as balance, version from accounts where id = 'a-basic'`);
    expect(row).toEqual({ owner: "ann", balance: 30, version: 2 });
    // The outbox reader delivers event-sourced appends like any other.
    const page = await createEventStore(db, log).read(0n, ["test.v1.AccountDeposited"], 100);
    expect(page.events.some((e) => e.streamId === "a-basic" && e.streamVersion === 2)).toBe(true);
  });

  it("lets a broken rule through unretried, appending nothing", async () => {
    await run("a-rule", { type: "open", owner: "ann" });
    const err = await run("a-rule", { type: "withdraw", amount: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(toConnectError(err).code).toBe(Code.FailedPrecondition);
    expect(await versionsOf("a-rule")).toEqual([1]);
  });

  it("lands every one of many concurrent commands on one stream, with versions 1..N and nothing lost", async () => {
    await run("a-race", { type: "open", owner: "ann" });
    const amounts = Array.from({ length: 20 }, (_, i) => i + 1);
    // Enough attempts that no writer runs out while 19 others race it.
    const results = await Promise.all(amounts.map((amount) => run("a-race", { type: "deposit", amount }, { attempts: 40 })));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(amounts.map((i) => i + 1));
    expect(await versionsOf("a-race")).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    const total = amounts.reduce((a, b) => a + b, 0);
    const [row] = await db.execute(sql`select balance::int as balance, version from accounts where id = 'a-race'`);
    expect(row).toEqual({ balance: total, version: 21 });
  });

  it("decides on a known state without reading the stream, and reads it when the known state is stale", async () => {
    const opened = await run("a-known", { type: "open", owner: "kim" });
    const deposited = await run("a-known", { type: "deposit", amount: 5 }, { known: { state: opened.state, version: opened.version } });
    expect(deposited).toMatchObject({ version: 2, state: { balance: 5 } });
    // Stale: the stream moved on to version 2; the append conflicts and the retry reads it.
    const again = await run("a-known", { type: "deposit", amount: 7 }, { known: { state: opened.state, version: opened.version } });
    expect(again).toMatchObject({ version: 3, state: { balance: 12 } });
    // A stale state is never trusted: the command is decided again on the stream as it is.
    await expect(run("a-known", { type: "open", owner: "kim" }, { known: { state: { status: "none" }, version: 0 } })).rejects.toThrow("already open");
    expect(await versionsOf("a-known")).toEqual([1, 2, 3]);
  });

  it("surfaces a conflict as ABORTED when its attempts run out, and retries it otherwise", async () => {
    await run("a-conflict", { type: "open", owner: "ann" });
    for (const attempts of [1, 3]) {
      const [{ version }] = (await db.execute<{ version: number }>(
        sql`select max(stream_version) as version from events where stream_id = 'a-conflict'`,
      )) as unknown as [{ version: number }];
      // Another writer appends the next version and holds its transaction open until the
      // command is waiting on that row's unique key, then commits: the command lost the race.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let appended!: () => void;
      const rivalAppended = new Promise<void>((r) => {
        appended = r;
      });
      const rival = writeTransaction(db, async (tx) => {
        await appendToStream(tx, log, {
          streamType: "account",
          streamId: "a-conflict",
          expectedVersion: version,
          events: [codec.encode({ type: "Deposited", amount: 1 }, undefined)],
        });
        await tx.execute(sql`update accounts set balance = balance + 1, version = ${version + 1} where id = 'a-conflict'`);
        appended();
        await held;
      });
      await rivalAppended;
      const command = run("a-conflict", { type: "deposit", amount: 10 }, { attempts }).then(
        (r) => r,
        (e: unknown) => e,
      );
      await waitForLockWait();
      release();
      await rival;
      const outcome = await command;
      if (attempts === 1) {
        expect(outcome).toBeInstanceOf(DomainError);
        expect(toConnectError(outcome).code).toBe(Code.Aborted);
        expect(await versionsOf("a-conflict")).toEqual([1, 2]);
      } else {
        expect(outcome).toMatchObject({ version: 4, state: { balance: 12 } });
      }
    }
  });

  it("records no events when the projection fails: one transaction", async () => {
    await run("a-projection", { type: "open", owner: "ann" });
    const failing = async () => {
      throw new Error("projection bug");
    };
    await expect(run("a-projection", { type: "deposit", amount: 5 }, { project: failing })).rejects.toThrow("projection bug");
    expect(await versionsOf("a-projection")).toEqual([1]);
    // A read model constraint failing has the same effect: the event is gone with it.
    const overdraw = async (tx: EventTx, events: readonly AppendedEvent<Event>[]) => {
      await project(tx, events);
      await tx.execute(sql`update accounts set balance = -1 where id = 'a-projection'`);
    };
    await expect(run("a-projection", { type: "deposit", amount: 5 }, { project: overdraw })).rejects.toThrow();
    expect(await versionsOf("a-projection")).toEqual([1]);
  });
});

describe("handleCommand with events that carry the state after them", () => {
  it("gives the codec and the projection the state after each event, in order", async () => {
    // Each deposit recorded twice, so one command appends two events with different states after.
    const twice: Decider<Command, State, Event> = {
      ...account,
      decide: (c, s, n) => account.decide(c, s, n).flatMap((e): Event[] => (e.type === "Deposited" ? [e, e] : [e])),
    };
    const balanceAfter = (s: State) => (s.status === "open" ? s.balance : -1);
    const snapshotCodec: EventCodec<Event, State> = {
      encode: (e, after) => ({
        type: `test.v1.Account${e.type}`,
        payload: new TextEncoder().encode(JSON.stringify({ ...e, balanceAfter: balanceAfter(after) })),
      }),
      decode: codec.decode,
    };
    const seen: [number, number][] = [];
    const opts: HandleCommandOptions<Event, State> = {
      project: async (tx, events) => {
        await project(tx, events);
        for (const e of events) seen.push([e.version, balanceAfter(e.state)]);
      },
    };
    const aggregate: Aggregate<Command, State, Event> = { ...accounts, decider: twice, codec: snapshotCodec };
    await handleCommand(db, aggregate, "a-snapshots", { type: "open", owner: "ann" }, now, opts);
    const result = await handleCommand(db, aggregate, "a-snapshots", { type: "deposit", amount: 7 }, now, opts);
    expect(result).toMatchObject({ version: 3, state: { balance: 14 } });
    expect(seen).toEqual([
      [1, 0],
      [2, 7],
      [3, 14],
    ]);
    const stored = (await loadStream(db, log, { streamType: "account", streamId: "a-snapshots" })).map(
      (r) => (JSON.parse(new TextDecoder().decode(r.payload)) as { balanceAfter: number }).balanceAfter,
    );
    expect(stored).toEqual([0, 7, 14]);
  });
});

describe("rebuildProjections", () => {
  it("replays the whole log into a fresh read model identical to the live one", async () => {
    await Promise.all(
      ["r-1", "r-2", "r-3"].map(async (id, i) => {
        await run(id, { type: "open", owner: `owner-${i}` });
        for (let n = 1; n <= 4; n++) await run(id, { type: "deposit", amount: n * (i + 1) });
        await run(id, { type: "withdraw", amount: i + 1 });
      }),
    );
    const replayed = await rebuildProjections(db, log, {
      reset: async (tx) => {
        await tx.execute(sql`drop table if exists accounts_rebuilt`);
        await tx.execute(sql`create table accounts_rebuilt (like accounts including all)`);
      },
      apply: (tx, r) =>
        applyToAccounts(tx, "accounts_rebuilt", {
          streamType: r.streamType,
          streamId: r.streamId,
          version: r.streamVersion,
          event: codec.decode(r.type, r.payload, r.occurTime),
        }),
      // Small pages, so the replay crosses many of them.
      batchSize: 7,
    });
    const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from events`)) as unknown as [{ n: number }];
    expect(replayed).toBe(n);
    const live = await db.execute(sql`select * from accounts order by id`);
    const rebuilt = await db.execute(sql`select * from accounts_rebuilt order by id`);
    expect(live.length).toBeGreaterThan(5);
    expect([...rebuilt]).toEqual([...live]);
  });
});

/** Resolves once some session of this database waits on a lock (the command behind the rival's row). */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rows = await db.execute(sql`select 1 from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the command never waited on the rival's row");
}
