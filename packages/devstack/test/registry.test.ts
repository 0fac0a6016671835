// `npm start` runs the registry, and every process of the platform registers with it once
// ready: the services, the config server, the registry itself and the gateway.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { createServiceClient, createServiceTokenSource } from "@triphub/platform";
import { eventually } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY, SERVICES } from "../src/services.js";
import { type RunningDevstack, startDevstack } from "./running-devstack.js";

let stack: RunningDevstack;
beforeAll(async () => {
  stack = await startDevstack({ properties: 5 });
}, 180_000);
afterAll(() => stack?.stop(), 30_000);

describe("the devstack's registry", () => {
  it("has every process registered, healthy, at the address the devstack gave it", { timeout: 60_000 }, async () => {
    const clientSecret = (await readFile(join(stack.dataDir, "secrets", "service-gateway"), "utf8")).trim();
    const tokens = createServiceTokenSource({ clientId: "gateway", clientSecret, tokenUrl: `http://127.0.0.1:${7101 + stack.offset}/oauth2/token` });
    const registry = createServiceClient(RegistryService, `http://127.0.0.1:${7106 + stack.offset}`, { identity: { tokens, audience: "registry" } });
    const expected = [...SERVICES, GATEWAY].map((s) => [s.name, `127.0.0.1:${s.port + stack.offset}`]).sort();
    // The gateway registers once ready, a moment after the devstack says it is up.
    await eventually(async () => {
      const { instances } = await registry.listInstances({ healthyOnly: true });
      expect(instances.map((i) => [i.serviceName, i.address]).sort()).toEqual(expected);
      for (const i of instances) expect(i.metadata.protocol, i.serviceName).toBe("h2c");
    }, 20_000);
  });
});
