import { randomUUID } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "@triphub/contracts";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type MetricsPage, scrapeMetrics } from "@triphub/testkit";
import { describe, expect, it } from "vitest";
import { isPrivateAddress, notFound } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const AUTH = AuthService.typeName;

/** Every label value on the page that looks like an id. */
const idLabels = (page: MetricsPage) => page.samples.flatMap((s) => Object.entries(s.labels).filter(([, v]) => UUID.test(v)).map(([k, v]) => `${s.name}{${k}="${v}"}`));

describe("metrics", () => {
  it("counts each RPC by service, method and code, times unary calls, and puts no id in a label", async () => {
    const { host, url } = await startTestHost({
      getJwks: () => ({ keys: [] }),
      getUser: (req) => {
        throw notFound("user", req.userId);
      },
    });
    const before = await scrapeMetrics(url);
    const grpc = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const json = createClient(AuthService, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
    await grpc.getJwks({});
    await json.getJwks({});
    for (let i = 0; i < 3; i++) await grpc.getUser({ userId: randomUUID() }).catch(() => {});

    const after = await scrapeMetrics(url);
    const moved = (name: string, labels: Record<string, string>) => after.sum(name, labels) - before.sum(name, labels);
    expect(moved("triphub_rpc_server_requests_total", { service: AUTH, method: "GetJwks", code: "OK" })).toBe(2);
    expect(moved("triphub_rpc_server_requests_total", { service: AUTH, method: "GetUser", code: "NotFound" })).toBe(3);
    expect(moved("triphub_rpc_server_duration_seconds_count", { service: AUTH, method: "GetJwks" })).toBe(2);
    expect(moved("triphub_rpc_server_duration_seconds_count", { service: AUTH, method: "GetUser" })).toBe(3);
    // Every call took less than the largest finite bucket.
    expect(moved("triphub_rpc_server_duration_seconds_bucket", { service: AUTH, method: "GetJwks", le: "10" })).toBe(2);
    expect(after.types.get("triphub_rpc_server_duration_seconds")).toBe("histogram");
    expect(after.sum("triphub_rpc_server_in_flight", { service: AUTH, method: "GetJwks" })).toBe(0);
    expect(idLabels(after)).toEqual([]);
    await host.close();
  });

  it("counts a server stream when it ends, with the code the caller saw", async () => {
    const { host, url } = await startTestHost({});
    const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
    const before = await scrapeMetrics(url);
    const abort = new AbortController();
    // The caller leaves after the first message.
    for await (const _ of health.watch({ service: AUTH }, { signal: abort.signal })) {
      abort.abort();
      break;
    }
    const labels = { service: "grpc.health.v1.Health", method: "Watch" };
    await expect.poll(async () => (await scrapeMetrics(url)).sum("triphub_rpc_server_requests_total", labels) - before.sum("triphub_rpc_server_requests_total", labels)).toBe(1);
    const after = await scrapeMetrics(url);
    expect(after.sum("triphub_rpc_server_requests_total", { ...labels, code: "Canceled" }) - before.sum("triphub_rpc_server_requests_total", { ...labels, code: "Canceled" })).toBe(1);
    expect(after.sum("triphub_rpc_server_in_flight", labels)).toBe(0);
    // Streams are left out of the latency histogram: they last as long as they are meant to.
    expect(after.sum("triphub_rpc_server_duration_seconds_count", labels)).toBe(0);
    await host.close();
  });

  it("serves process and event-loop metrics in Prometheus's text format without a token", async () => {
    const { host, url } = await startTestHost({});
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const page = await scrapeMetrics(url);
    expect(page.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    expect(page.types.get("process_resident_memory_bytes")).toBe("gauge");
    expect(page.types.get("triphub_rpc_server_requests_total")).toBe("counter");
    await host.close();
  });

  it("at the edge, answers /metrics only to private callers that came straight, not through a proxy", async () => {
    const { host, url } = await startTestHost({}, { metricsAccess: "private-direct" });
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { headers: { forwarded: "for=203.0.113.9" } })).status).toBe(404);
    await host.close();
  });

  it.each([
    ["127.0.0.1", true],
    ["::1", true],
    ["::ffff:10.1.2.3", true],
    ["172.20.0.5", true],
    ["192.168.1.1", true],
    ["fd12::1", true],
    ["203.0.113.9", false],
    ["::ffff:8.8.8.8", false],
    ["2001:db8::1", false],
    ["172.32.0.1", false],
    [undefined, false],
  ])("takes %s as private: %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
