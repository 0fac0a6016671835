// WatchInstances across registry instances on one database, and a registry restart.
import type { Client } from "@connectrpc/connect";
import type { RegistryService, WatchInstancesResponse } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { eventually } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistryPlatform, startRegistryPlatform } from "./registry-platform.js";

let p: RegistryPlatform;
beforeAll(async () => {
  // Watches re-read on their own only once a minute: what arrives sooner came by NOTIFY.
  p = await startRegistryPlatform("registry_watch", { REGISTRY_POLL_MS: 30_000, REGISTRY_PROBE_INTERVAL_MS: 60_000 });
}, 60_000);
afterAll(() => p?.close());

/** Follows WatchInstances in the background, collecting what arrives. */
function follow(client: Client<typeof RegistryService>, serviceName: string) {
  const got: WatchInstancesResponse[] = [];
  const stop = new AbortController();
  const done = (async () => {
    try {
      for await (const res of client.watchInstances({ serviceName }, { signal: stop.signal })) got.push(res);
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    ids: () => got.map((r) => r.instances.map((i) => i.instanceId)),
    revisions: () => got.map((r) => r.revision),
    async stop() {
      stop.abort();
      await done;
    },
  };
}

const at = (serviceName: string, instanceId: string, port = 9) => ({ serviceName, instanceId, address: `127.0.0.1:${port}`, version: "1", leaseTtl: { seconds: 60n } });

describe("WatchInstances", () => {
  it("sends a snapshot first, then the healthy instances after every change, with rising revisions", async () => {
    const payment = p.as(p.auth.asService("payment"));
    await payment.register(at("payment", "pay-a"));
    const w = follow(payment, "payment");
    await eventually(async () => expect(w.ids()).toEqual([["pay-a"]]), 5_000);
    await payment.register(at("payment", "pay-b"));
    await eventually(async () => expect(w.ids()).toEqual([["pay-a"], ["pay-a", "pay-b"]]), 5_000);
    // Another service's change and a plain heartbeat change nothing this watcher sees.
    await p.as(p.auth.asService("review")).register(at("review", "rev-a"));
    await payment.heartbeat({ serviceName: "payment", instanceId: "pay-a" });
    await payment.deregister({ serviceName: "payment", instanceId: "pay-a" });
    await eventually(async () => expect(w.ids()).toEqual([["pay-a"], ["pay-a", "pay-b"], ["pay-b"]]), 5_000);
    const revisions = w.revisions();
    expect([...revisions].sort((a, b) => Number(a - b))).toEqual(revisions);
    expect(new Set(revisions).size).toBe(revisions.length);
    await w.stop();
  });

  it("delivers a registration made through one registry instance to a watch on another on the same database", async () => {
    const other = await p.another();
    const w = follow(p.as(p.auth.asService("gateway"), other), "reservation");
    await eventually(async () => expect(w.ids()).toEqual([[]]), 5_000);
    await p.as(p.auth.asService("reservation")).register(at("reservation", "res-a"));
    await eventually(async () => expect(w.ids()).toEqual([[], ["res-a"]]), 5_000);
    await w.stop();
  });

  it("loses nothing when the registry restarts: instances, leases and watches come back", async () => {
    const auth = p.as(p.auth.asService("auth"));
    await auth.register(at("auth", "auth-a"));
    const port = Number(new URL(p.server.url).port);
    await p.server.close();
    const restarted = await p.another(port);
    const client = p.as(p.auth.asService("auth"), restarted);
    expect((await client.resolve({ serviceName: "auth" })).instances.map((i) => i.instanceId)).toEqual(["auth-a"]);
    // Its lease is still known: a heartbeat renews it rather than asking it to register again.
    await client.heartbeat({ serviceName: "auth", instanceId: "auth-a" });
    const w = follow(client, "auth");
    await eventually(async () => expect(w.ids()).toEqual([["auth-a"]]), 5_000);
    await w.stop();
  });
});
