// The chassis's registration with a real service (accommodation) and the real registry: once
// ready it registers itself, heartbeats, registers again when the registry forgets it, starts
// while the registry is down, and deregisters on shutdown before its drain begins.
import { buildServer as buildAccommodation, MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { type RegistrationEnv, registeredHostFromEnv, type ServiceHost } from "@triphub/platform";
import { serviceDeps } from "@triphub/test-stack";
import { eventually, freePort, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistryPlatform, startRegistryPlatform } from "./registry-platform.js";

let p: RegistryPlatform;
beforeAll(async () => {
  p = await startRegistryPlatform("registry_chassis", { REGISTRY_PROBE_INTERVAL_MS: 60_000, REGISTRY_POLL_MS: 200 });
}, 60_000);
afterAll(() => p?.close());

/** Accommodation as runService builds it, registered with the registry at `registryUrl`. */
async function accommodation(
  instanceId: string,
  registryUrl: string,
  more: Partial<RegistrationEnv> = {},
  beforeListen?: (host: ServiceHost) => void,
): Promise<RunningService> {
  const deps = await serviceDeps(p.auth, { service: "accommodation", migrationsFolder: ACCOMMODATION_MIGRATIONS, database: `registry_chassis_${instanceId.replaceAll("-", "_")}` });
  const env: RegistrationEnv = { ...deps.config, REGISTRY_URL: registryUrl, INSTANCE_ID: instanceId, REGISTRY_LEASE_SECONDS: 6, ...more };
  const host: ServiceHost = registeredHostFromEnv("accommodation", await buildAccommodation(deps), env, deps.log);
  beforeListen?.(host);
  return serve(host);
}

const registry = () => p.as(p.auth.asService("accommodation"));
const healthyIds = async () => (await registry().resolve({ serviceName: "accommodation" })).instances.map((i) => i.instanceId);

describe("the chassis's registration", () => {
  it("registers a ready service with its address, protocol, zone and version, and keeps its lease by heartbeats", async () => {
    const service = await accommodation("acc-0", p.server.url, { ZONE: "zone-a", SERVICE_VERSION: "1.2.3" });
    const [got] = await eventually(async () => {
      const found = (await registry().resolve({ serviceName: "accommodation" })).instances.filter((i) => i.instanceId === "acc-0");
      expect(found).toHaveLength(1);
      return found;
    });
    expect(got).toMatchObject({ address: new URL(service.url).host, version: "1.2.3", metadata: { protocol: "h2c", zone: "zone-a" }, healthy: true });
    // A heartbeat every third of the 6 s lease.
    await eventually(async () => {
      const [now] = (await registry().listInstances({ serviceName: "accommodation" })).instances.filter((i) => i.instanceId === "acc-0");
      expect(now!.lastHeartbeatTime!.seconds).toBeGreaterThan(got!.registerTime!.seconds);
    }, 5_000);
    await service.close();
  });

  it("deregisters on shutdown before the drain begins", async () => {
    // What the registry says at the moment the server stops taking calls.
    let atDrain: string[] | undefined;
    const service = await accommodation("acc-1", p.server.url, {}, (host) =>
      host.app.addHook("preClose", async () => {
        atDrain = await healthyIds();
      }),
    );
    await eventually(async () => expect(await healthyIds()).toContain("acc-1"));
    await service.close();
    expect(atDrain).toBeDefined();
    expect(atDrain).not.toContain("acc-1");
    expect((await registry().listInstances({ serviceName: "accommodation" })).instances.map((i) => i.instanceId)).not.toContain("acc-1");
  });

  it("registers again when a heartbeat finds the registry no longer knows it", async () => {
    const service = await accommodation("acc-2", p.server.url);
    await eventually(async () => expect(await healthyIds()).toContain("acc-2"));
    // As if the registry had lost it (a lapsed lease, an operator's removal).
    await registry().deregister({ serviceName: "accommodation", instanceId: "acc-2" });
    expect(await healthyIds()).not.toContain("acc-2");
    await eventually(async () => expect(await healthyIds()).toContain("acc-2"), 8_000);
    await service.close();
  });

  it("starts while the registry is down, and registers once it is up", async () => {
    const port = await freePort();
    const service = await accommodation("acc-3", `http://127.0.0.1:${port}`);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const late = await p.another(port);
    await eventually(async () => expect((await p.as(p.auth.asService("accommodation"), late).resolve({ serviceName: "accommodation" })).instances.map((i) => i.instanceId)).toContain("acc-3"), 10_000);
    await service.close();
  });
});
