// The gateway's /readyz follows its upstreams' /readyz, cheaply and without hanging.
import { createLogger, createService } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });

// A service on the real chassis whose readiness the test sets: ready, not ready, or hanging.
const upstream = { mode: "ready" as "ready" | "not-ready" | "hanging", checks: 0 };
let backend: RunningService;
let gateway: RunningService;

beforeAll(async () => {
  backend = await serve(
    await createService({
      name: "readiness-test",
      serviceNames: [],
      routes: () => {},
      log,
      isReady: () => {
        upstream.checks++;
        if (upstream.mode === "hanging") return new Promise<boolean>(() => {});
        return Promise.resolve(upstream.mode === "ready");
      },
    }),
  );
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({ UPSTREAMS: `auth=${backend.url}`, AUTH_JWKS_URL: `${backend.url}/.well-known/jwks.json` }),
      log,
    }),
  );
});
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

const readyz = async () => {
  const started = Date.now();
  const res = await fetch(`${gateway.url}/readyz`);
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started };
};

/** /readyz's status once it has become `status` (the gateway may still hold the last round). */
async function settlesAt(status: number): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const r = await readyz();
    if (r.status === status) return r.status;
    await new Promise((res) => setTimeout(res, 100));
  }
  return (await readyz()).status;
}

describe("the gateway's /readyz", () => {
  it("is ready when its upstreams are", async () => {
    upstream.mode = "ready";
    expect(await settlesAt(200)).toBe(200);
  });

  it("is not ready when an upstream is not", async () => {
    upstream.mode = "not-ready";
    expect(await settlesAt(503)).toBe(503);
    upstream.mode = "ready";
    expect(await settlesAt(200)).toBe(200);
  });

  it("answers 503 within about a second when an upstream's /readyz hangs", async () => {
    upstream.mode = "hanging";
    expect(await settlesAt(503)).toBe(503);
    for (let i = 0; i < 3; i++) {
      const r = await readyz();
      expect(r.status).toBe(503);
      // Generous slack for a loaded machine; a hanging probe would take forever.
      expect(r.ms).toBeLessThan(3_000);
    }
    upstream.mode = "ready";
    expect(await settlesAt(200)).toBe(200);
  });

  it("asks its upstreams at most about once a second however often it is asked", async () => {
    upstream.mode = "ready";
    await settlesAt(200);
    const before = upstream.checks;
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => readyz()));
    for (let i = 0; i < 20; i++) await readyz();
    const seconds = (Date.now() - started) / 1000;
    expect(upstream.checks - before).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  });
});
