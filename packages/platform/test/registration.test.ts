// The chassis's side of registration that needs no registry: its configuration, its back-off,
// and a service that starts and stops cleanly while the registry cannot be reached. The
// registration against the real registry is proven in packages/registry/test.
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { freePort } from "@triphub/testkit";
import { describe, expect, it } from "vitest";
import { createBackoff } from "../src/discovery/backoff.js";
import { ConfigError, createLogger, createService, loadConfig, registeredHost, serviceConfigSpec } from "../src/index.js";

describe("registration settings", () => {
  it("reads the registry, instance, address, zone, version and lease with their defaults", () => {
    const spec = serviceConfigSpec(7000);
    expect(loadConfig(spec, {})).toMatchObject({ REGISTRY_URL: undefined, INSTANCE_ID: undefined, SERVICE_VERSION: "dev", REGISTRY_LEASE_SECONDS: 15 });
    const set = loadConfig(spec, {
      REGISTRY_URL: "http://127.0.0.1:7106",
      INSTANCE_ID: "accommodation-5f7b9-x2",
      ADVERTISED_ADDRESS: "accommodation-0.internal:7102",
      ZONE: "eu-west-1a",
      SERVICE_VERSION: "1.4.2",
      REGISTRY_LEASE_SECONDS: "30",
    });
    expect(set).toMatchObject({ INSTANCE_ID: "accommodation-5f7b9-x2", ADVERTISED_ADDRESS: "accommodation-0.internal:7102", ZONE: "eu-west-1a", REGISTRY_LEASE_SECONDS: 30 });
    expect(loadConfig(spec, { ADVERTISED_ADDRESS: "[::1]:7102" }).ADVERTISED_ADDRESS).toBe("[::1]:7102");
  });

  it.each([
    ["ADVERTISED_ADDRESS", "no-port"],
    ["ADVERTISED_ADDRESS", "http://host:1"],
    ["INSTANCE_ID", "-leading-dash"],
    ["INSTANCE_ID", "has space"],
    ["REGISTRY_LEASE_SECONDS", "2"],
    ["REGISTRY_URL", "ftp://registry"],
  ])("refuses %s=%s at start", (name, value) => {
    expect(() => loadConfig(serviceConfigSpec(7000), { [name]: value })).toThrow(ConfigError);
  });
});

describe("back-off", () => {
  it("doubles from the first wait up to the cap, with at most a fifth of jitter, and starts over after a success", () => {
    const b = createBackoff({ initialMs: 100, maxMs: 1_000 });
    const waits = Array.from({ length: 6 }, () => b.next());
    const nominal = [100, 200, 400, 800, 1_000, 1_000];
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(nominal[i]! * 0.8);
      expect(w).toBeLessThanOrEqual(nominal[i]!);
    });
    b.reset();
    expect(b.next()).toBeLessThanOrEqual(100);
  });
});

describe("a registered host", () => {
  it("starts, serves and stops promptly while the registry cannot be reached", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const log = createLogger({ service: "registration-test", level: "silent" });
    const inner = await createService({ name: "run-test", serviceNames: [AuthService.typeName], routes: () => {}, log });
    const host = registeredHost(inner, { registryUrl: nowhere, service: "run-test", version: "1", log, backoff: { initialMs: 20, maxMs: 100 } });
    const listening = await host.listen({ port: 0 });
    expect((await fetch(`${listening}/readyz`)).status).toBe(200);
    // Attempts go on in the background meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${listening}/readyz`)).status).toBe(200);
    const started = performance.now();
    await host.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(fetch(`${listening}/readyz`)).rejects.toThrow();
  });
});
