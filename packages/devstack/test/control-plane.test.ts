// The control plane of `npm start` under load: the registry and the config server SIGKILLed
// while guests read through the gateway (nothing fails, nothing they kept is lost), writes
// carrying a request id through the SIGKILL of one of two accommodation processes (each
// applied exactly once), and a configuration change, a refused one and a rollback applied live
// by the running gateway. One stack for all: each start costs a minute or two.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { createServiceClient, createServiceTokenSource, type ServiceTokenSource } from "@triphub/platform";
import { eventually } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY, SERVICES } from "../src/services.js";
import { killAndAwaitRestart, type RunningDevstack, startDevstack } from "./running-devstack.js";
import { startSteadyReads } from "./steady-load.js";
import { type KeyedWrites, startKeyedWrites } from "./keyed-writes.js";

const ADMIN_EMAIL = "admin@control-plane.test";
// No budget at all rather than RATE_LIMITS=off: with limits off the gateway ignores configured
// quotas, and the live-config test sets one.
const NO_BUDGETS = ["default.ip", "default.user", "default.key", "search.ip", "search.user", "search.key", "booking.ip", "booking.user", "booking.key", "login.ip", "login.key"]
  .map((b) => `${b}=none`)
  .join(",");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stack: RunningDevstack;
let deploy: ServiceTokenSource;
let propertyIds: string[];
const port = (base: number) => base + stack.offset;
beforeAll(async () => {
  // Without the edge cache every read reaches an accommodation process.
  stack = await startDevstack({
    properties: 20,
    env: { DEVSTACK_REPLICAS: "accommodation=2", RATE_LIMITS: NO_BUDGETS, EDGE_CACHE_TTL_MS: "0", BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, ENVIRONMENT: "dev" },
  });
  // The deploy pipeline's identity may change configuration; any identity may read the registry.
  const clientSecret = (await readFile(join(stack.dataDir, "secrets", "service-deploy"), "utf8")).trim();
  deploy = createServiceTokenSource({ clientId: "deploy", clientSecret, tokenUrl: `http://127.0.0.1:${port(7101)}/oauth2/token` });
  const found = (await (await fetch(`${stack.gatewayUrl}/api/v1/accommodations:search?destination=Seoul&pageSize=3`)).json()) as {
    results: { accommodation: { propertyId: string } }[];
  };
  propertyIds = found.results.map((r) => r.accommodation.propertyId);
  expect(propertyIds.length).toBeGreaterThan(0);
}, 200_000);
afterAll(() => stack?.stop(), 30_000);

const registryClient = () => createServiceClient(RegistryService, `http://127.0.0.1:${port(7106)}`, { identity: { tokens: deploy, audience: "registry" } });
const configClient = () => createServiceClient(ConfigService, `http://127.0.0.1:${port(7107)}`, { identity: { tokens: deploy, audience: "config" } });

/** Every process of the stack as [service, address], sorted: the second accommodation at +10. */
const everyProcess = () =>
  [...SERVICES, GATEWAY, { name: "accommodation", port: 7112 }].map((s) => [s.name, `127.0.0.1:${port(s.port)}`]).sort();

describe("the control plane of npm start", () => {
  it("fails no read while the registry is SIGKILLed and restarted, and the restarted registry knows every instance", { timeout: 200_000 }, async () => {
    const registry = registryClient();
    // An instance nobody registers again: if it is there after the restart, the registry kept
    // it (in PostgreSQL), rather than the processes telling it again.
    const sentinel = {
      serviceName: "deploy",
      instanceId: `control-plane-${randomUUID()}`,
      address: `127.0.0.1:${port(7101)}`,
      version: "test",
      leaseTtl: { seconds: 300n },
    };
    const { instance: registered } = await registry.register(sentinel);
    const healthy = async () => {
      const { instances } = await registry.listInstances({ healthyOnly: true });
      expect(instances.filter((i) => i.serviceName !== "deploy").map((i) => [i.serviceName, i.address]).sort()).toEqual(everyProcess());
    };
    await eventually(healthy, 30_000);

    const load = startSteadyReads(stack.gatewayUrl, propertyIds);
    await sleep(2_000);
    await killAndAwaitRestart(stack, "registry", port(7106), "registry/src/main.ts");
    await sleep(3_000);
    const { ok, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);

    const { instances } = await registry.listInstances({ serviceName: "deploy" });
    const kept = instances.find((i) => i.instanceId === sentinel.instanceId);
    expect(kept?.registerTime).toEqual(registered?.registerTime);
    await eventually(healthy, 30_000);
    const { instances: accommodation } = await registry.resolve({ serviceName: "accommodation" });
    expect(accommodation.map((i) => i.address).sort()).toEqual([`127.0.0.1:${port(7102)}`, `127.0.0.1:${port(7112)}`]);
    await registry.deregister({ serviceName: sentinel.serviceName, instanceId: sentinel.instanceId });
  });

  it("fails no read while the config server is SIGKILLed and restarted, keeps every version, and services follow it again", { timeout: 200_000 }, async () => {
    const config = configClient();
    const target = { service: "accommodation", environment: "dev" };
    const written = [];
    const versionsBefore: Record<string, string>[] = [{}, { "feature_flags.control_plane_test": "true" }];
    for (const [k, values] of versionsBefore.entries()) {
      const { config: v } = await config.setConfig({ ...target, values, comment: `before the kill ${k + 1}` });
      written.push(v!);
    }

    const load = startSteadyReads(stack.gatewayUrl, propertyIds);
    await sleep(2_000);
    await killAndAwaitRestart(stack, "config", port(7107), "config-server/src/main.ts");
    await sleep(3_000);
    const { ok, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);

    const { versions } = await config.listConfigVersions({ ...target, pageSize: 100 });
    for (const v of written) expect(versions.find((x) => x.version === v.version)).toEqual(v);

    // Both accommodation processes' watches reconnect: a new version reaches them, and its log
    // level is applied (the registry's health probes, logged at debug, show up in their logs).
    const logs = ["accommodation", "accommodation-2"].map((name) => join(stack.dataDir, "logs", `${name}.log`));
    const { config: debug } = await config.setConfig({ ...target, values: { log_level: "debug" }, comment: "after the restart" });
    for (const log of logs) {
      await eventually(async () => {
        const lines = linesAfter(await readFile(log, "utf8"), (l) => l.message === "config applied" && l.version === Number(debug!.version));
        expect(lines.some((l) => l.message === "rpc" && String(l.rpc).startsWith("grpc.health.v1.Health/"))).toBe(true);
      }, 30_000);
    }
    await config.setConfig({ ...target, values: {}, comment: "back to the defaults" });
  });

  it("ends each write carrying a request id exactly once through the SIGKILL of one of two accommodation processes", { timeout: 200_000 }, async () => {
    const writes: KeyedWrites = await startKeyedWrites(stack.gatewayUrl, ADMIN_EMAIL);
    await sleep(3_000);
    await killAndAwaitRestart(stack, "accommodation-2", port(7112), "accommodation/src/main.ts");
    await sleep(3_000);
    const { keys, retried, failures } = await writes.stop();
    expect(failures).toEqual([]);
    expect(keys.length).toBeGreaterThan(20);
    // The gateway itself sends a keyed write that was in flight on the killed process to the
    // other one, so the client's own retries are never needed (with one process, or without that
    // retry, a few writes fail back to the client at each kill).
    expect(retried).toBe(0);

    // A client whose answer was lost sends the same write again: it gets the first one's property.
    expect(await writes.replay(keys.filter((_, i) => i % 20 === 0))).toEqual([]);
    const created = await writes.createdByKey();
    const counts = keys.map((k) => [k, created.get(k) ?? 0]);
    expect(counts.filter(([, n]) => n !== 1)).toEqual([]);
    expect([...created.values()].reduce((a, b) => a + b, 0)).toBe(keys.length);
  });

  it("applies a rate-limit quota live, refuses an invalid one without a change, and applies a rollback live", { timeout: 120_000 }, async () => {
    const config = configClient();
    const target = { service: "gateway", environment: "dev" };
    const search = async () => {
      const res = await fetch(`${stack.gatewayUrl}/api/v1/accommodations:search?destination=Seoul&pageSize=1`);
      await res.arrayBuffer();
      return { status: res.status, policy: res.headers.get("ratelimit-policy") ?? "" };
    };
    const { config: open } = await config.setConfig({ ...target, values: {}, comment: "no quota" });
    expect((await search()).status).toBe(200);

    const { config: tight } = await config.setConfig({
      ...target,
      values: { "rate_limits.search.ip.limit": "5", "rate_limits.search.ip.period_seconds": "60" },
      comment: "five searches a minute",
    });
    // Poll until the gateway counts the new budget (its RateLimit-Policy names it); then the
    // sixth search of the minute is refused.
    const budget = '"search.ip";q=5;w=60';
    const applied = Date.now();
    let admitted = 0;
    for (;;) {
      const r = await search();
      if (r.status === 429) {
        expect(r.policy).toContain(budget);
        break;
      }
      expect(r.status).toBe(200);
      if (r.policy.includes(budget)) admitted++;
      else await sleep(50);
      expect(Date.now() - applied, "the gateway did not apply the quota").toBeLessThan(10_000);
    }
    expect(admitted).toBe(5);

    // A value the gateway's settings schema refuses: INVALID_ARGUMENT, no new version, the
    // budget counted as before.
    for (const bad of ["0", "many"]) {
      const refused = await config.setConfig({ ...target, values: { "rate_limits.search.ip.limit": bad } }).catch((e: unknown) => ConnectError.from(e));
      expect(refused).toBeInstanceOf(ConnectError);
      expect((refused as ConnectError).code).toBe(Code.InvalidArgument);
    }
    const { versions } = await config.listConfigVersions({ ...target, pageSize: 1 });
    expect(versions[0]?.version).toBe(tight!.version);
    await sleep(1_000);
    const still = await search();
    expect([still.status, still.policy.includes(budget)]).toEqual([429, true]);

    // The rollback to the version without a quota is itself applied live: searches pass again.
    const { config: rolledBack } = await config.rollbackConfig({ ...target, toVersion: open!.version, comment: "undo the quota" });
    expect(rolledBack?.restoredVersion).toBe(open!.version);
    await eventually(async () => {
      const r = await search();
      expect([r.status, r.policy.includes(budget)]).toEqual([200, false]);
    }, 10_000);
  });
});

/** The JSON lines of a log from the first that `start` matches on, or none. */
function linesAfter(log: string, start: (line: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const lines = log
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
  const from = lines.findIndex(start);
  return from < 0 ? [] : lines.slice(from);
}
