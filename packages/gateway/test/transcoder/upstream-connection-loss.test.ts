// A backend whose connections are reset under calls in flight (what a killed process looks
// like): the slim upstream client must report every such call UNAVAILABLE (so the balancer may
// send a repeatable one elsewhere), never INTERNAL as if the backend had answered badly.
import type { Socket } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createService } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { createUpstreamTransport } from "../../src/transcoder/index.js";

const log = createLogger({ service: "connection-loss-test", level: "silent" });

describe.each(["grpc", "connect"] as const)("connection lost under calls (%s)", (protocol) => {
  it("fails every call in flight with UNAVAILABLE", async () => {
    const codes = new Map<string, number>();
    // Rounds, since where each call is when its connection dies is up to timing.
    for (let round = 0; round < 5; round++) {
      const host = await createService({
        name: "connection-loss",
        serviceNames: [AuthService.typeName],
        routes: (router) =>
          router.service(AuthService, {
            async getMe() {
              await new Promise((r) => setTimeout(r, Math.random() * 3));
              return {};
            },
          }),
        log,
      });
      const url = await host.listen({ port: 0 });
      const sockets = new Set<Socket>();
      host.app.server.on("connection", (s: Socket) => sockets.add(s));
      const transport = createUpstreamTransport({ baseUrl: url, protocol });
      const client = createClient(AuthService, transport);
      let stop = false;
      const loops = Array.from({ length: 8 }, async () => {
        while (!stop) {
          await client.getMe({}).catch((e: unknown) => {
            const code = Code[ConnectError.from(e).code];
            codes.set(code, (codes.get(code) ?? 0) + 1);
          });
        }
      });
      await new Promise((r) => setTimeout(r, 100));
      host.app.server.close();
      for (const s of sockets) s.resetAndDestroy();
      await new Promise((r) => setTimeout(r, 20));
      stop = true;
      await Promise.all(loops);
      transport.close();
    }
    expect([...codes.keys()]).toEqual(["Unavailable"]);
  });
});
