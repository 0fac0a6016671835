import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as Status } from "@triphub/contracts";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { startTestHost } from "./fixtures.js";

describe("health", () => {
  it("reports SERVING for the process and each hosted service once listening", async () => {
    const { host, url } = await startTestHost({});
    const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
    expect((await health.check({ service: "" })).status).toBe(Status.SERVING);
    expect((await health.check({ service: AuthService.typeName })).status).toBe(Status.SERVING);
    await expect(health.check({ service: "no.such.Service" })).rejects.toMatchObject({ code: 5 });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await host.close();
  });

  it("streams status changes to Watch, ending with NOT_SERVING when shutdown begins", async () => {
    const { host, url } = await startTestHost({});
    const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
    const seen: Status[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const r of health.watch({ service: AuthService.typeName }, { signal: abort.signal })) {
        seen.push(r.status);
        if (r.status === Status.SERVING) host.health.set(AuthService.typeName, Status.NOT_SERVING);
        if (r.status === Status.NOT_SERVING) abort.abort();
      }
    })().catch(() => {});
    await watching;
    expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING]);
    await host.close();
  });

  it("says SERVICE_UNKNOWN to a Watch of a service it does not host", async () => {
    const { host, url } = await startTestHost({});
    const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
    const abort = new AbortController();
    for await (const r of health.watch({ service: "no.such.Service" }, { signal: abort.signal })) {
      expect(r.status).toBe(Status.SERVICE_UNKNOWN);
      abort.abort();
      break;
    }
    await host.close();
  });

  it("turns /readyz to 503 when a readiness check fails", async () => {
    let dbUp = true;
    const { host, url } = await startTestHost({}, { isReady: async () => dbUp });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    dbUp = false;
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    await host.close();
  });

  it("answers /readyz with 503 within a second when a readiness check never answers", async () => {
    const { host, url } = await startTestHost({}, { isReady: () => new Promise<boolean>(() => {}) });
    const started = performance.now();
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_500);
    await host.close();
  });
});
