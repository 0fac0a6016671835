// The platform's registryResolver against the real registry: the instances of a service now and
// after each change, and the last known ones kept while the registry is down.
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { createLogger, createServiceClient, type InstanceResolver, registryResolver, type ServiceInstance, useRegistryResolver } from "@triphub/platform";
import { eventually, type RunningService } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistryPlatform, startRegistryPlatform } from "./registry-platform.js";

let p: RegistryPlatform;
let registry: RunningService;
let resolver: InstanceResolver;
beforeAll(async () => {
  p = await startRegistryPlatform("registry_resolver", { REGISTRY_PROBE_INTERVAL_MS: 60_000, REGISTRY_POLL_MS: 200 });
  registry = p.server;
  resolver = registryResolver({
    url: registry.url,
    tokens: p.auth.asService("gateway").tokens,
    log: createLogger({ service: "resolver-test", level: "silent" }),
    backoff: { initialMs: 50, maxMs: 200 },
  });
}, 60_000);
afterAll(async () => {
  await resolver?.close();
  await p?.close();
});

const register = (instanceId: string, port: number, metadata: Record<string, string> = {}) =>
  p
    .as(p.auth.asService("payment"), registry)
    .register({ serviceName: "payment", instanceId, address: `127.0.0.1:${port}`, version: "7", metadata, leaseTtl: { seconds: 300n } });

describe("registryResolver", () => {
  it("hands on the instances of a service, then every change, to each subscriber, and keeps the last ones while the registry is down", async () => {
    await register("pay-a", 7001, { protocol: "h2c", zone: "z1" });
    const seen: (readonly ServiceInstance[])[] = [];
    const unsubscribe = resolver.watch("payment", (instances) => seen.push(instances));
    await eventually(async () => expect(seen).toEqual([[{ id: "pay-a", url: "http://127.0.0.1:7001", zone: "z1", version: "7" }]]), 5_000);

    await register("pay-b", 7002, { protocol: "tls" });
    await eventually(async () => expect(seen.at(-1)?.map((i) => i.url)).toEqual(["http://127.0.0.1:7001", "https://127.0.0.1:7002"]), 5_000);
    // A second subscriber of the same service gets the current list at once.
    const second: (readonly ServiceInstance[])[] = [];
    const unsubscribeSecond = resolver.watch("payment", (instances) => second.push(instances));
    await eventually(async () => expect(second.map((l) => l.map((i) => i.id))).toEqual([["pay-a", "pay-b"]]), 1_000);

    // The registry goes away: nobody is told of an empty list.
    const port = Number(new URL(registry.url).port);
    const before = seen.length;
    await registry.close();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen.length).toBe(before);
    expect(seen.at(-1)?.map((i) => i.id)).toEqual(["pay-a", "pay-b"]);

    // Back (another process, the same database): the resolver reconnects and follows changes again.
    registry = await p.another(port);
    await register("pay-c", 7003);
    await eventually(async () => expect(seen.at(-1)?.map((i) => i.id)).toEqual(["pay-a", "pay-b", "pay-c"]), 10_000);
    expect(second.at(-1)?.map((i) => i.id)).toEqual(["pay-a", "pay-b", "pay-c"]);
    unsubscribe();
    unsubscribeSecond();
  });

  it("stops calling a subscriber once it unsubscribes", async () => {
    const seen: (readonly ServiceInstance[])[] = [];
    const unsubscribe = resolver.watch("review", (instances) => seen.push(instances));
    await eventually(async () => expect(seen).toEqual([[]]), 5_000);
    unsubscribe();
    await p.as(p.auth.asService("review"), registry).register({ serviceName: "review", instanceId: "rev-a", address: "127.0.0.1:7009", version: "1" });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([[]]);
  });
});

describe("a client whose address is registry:///<service>", () => {
  it("calls the instances the process's registry lists under that name", async () => {
    // The registry itself is the instance here: one real gRPC service, listed under "registry".
    await p
      .as(p.auth.asService("registry"), registry)
      .register({ serviceName: "registry", instanceId: "reg-1", address: new URL(registry.url).host, version: "1", metadata: { protocol: "h2c" } });
    useRegistryResolver(resolver);
    try {
      const client = createServiceClient(RegistryService, "registry:///registry", { identity: { tokens: p.auth.asService("gateway").tokens, audience: "registry" } });
      const { instances } = await client.resolve({ serviceName: "registry" });
      expect(instances.map((i) => i.instanceId)).toEqual(["reg-1"]);
    } finally {
      useRegistryResolver(undefined);
    }
  });

  it("is refused at start, naming REGISTRY_URL, when the process has no registry", () => {
    expect(() => createServiceClient(RegistryService, "registry:///payment")).toThrow(/REGISTRY_URL/);
  });
});
