import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { startTestHost } from "./fixtures.js";

const slowImpl = (started: () => void) => ({
  getJwks: async () => {
    started();
    await new Promise((r) => setTimeout(r, 400));
    return { keys: [{ kid: "late" }] };
  },
});

describe("graceful shutdown", () => {
  it.each([
    ["gRPC over HTTP/2", (url: string) => createGrpcTransport({ baseUrl: url })],
    ["Connect over HTTP/1.1", (url: string) => createConnectTransport({ baseUrl: url, httpVersion: "1.1" })],
  ])("lets an in-flight %s call finish, then refuses new connections", async (_name, transport) => {
    let onStart = () => {};
    const started = new Promise<void>((r) => (onStart = r));
    const { host, url } = await startTestHost(slowImpl(() => onStart()));
    const client = createClient(AuthService, transport(url));
    const inFlight = client.getJwks({});
    await started;
    let closed = false;
    const closing = host.close().then(() => (closed = true));
    const res = await inFlight;
    expect(res.keys[0]?.kid).toBe("late");
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("waits for a handler whose client has gone before closing the pools (onClose)", async () => {
    let onStart = () => {};
    const started = new Promise<void>((r) => (onStart = r));
    const events: string[] = [];
    const { host, url } = await startTestHost(
      {
        getJwks: async () => {
          onStart();
          await new Promise((r) => setTimeout(r, 300));
          events.push("handler done");
          return { keys: [] };
        },
      },
      { onClose: async () => void events.push("pools closed") },
    );
    const gone = new AbortController();
    const call = createClient(AuthService, createGrpcTransport({ baseUrl: url })).getJwks({}, { signal: gone.signal }).catch(() => "cancelled");
    await started;
    gone.abort();
    expect(await call).toBe("cancelled");
    await host.close();
    expect(events).toEqual(["handler done", "pools closed"]);
  });

  it("closes within the drain timeout even when a call never ends", async () => {
    const { host, url } = await startTestHost(
      { getJwks: (_r, ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))) },
      { drainTimeoutMs: 300 },
    );
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const hung = client.getJwks({}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    // Without the drain timeout this would wait for the hung call forever (the test's timeout).
    await host.close();
    expect(await hung).toBeInstanceOf(Error);
  });
});
