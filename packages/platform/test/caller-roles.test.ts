// Internal RPCs whose `callers` option names user roles beside services (the config server's
// writes): the chassis lets in the listed services and users holding a listed role, nobody else.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { errors } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createService, type Identity, SERVICE_TOKEN_HEADER, type ServiceHost } from "../src/index.js";

const users: Record<string, Identity> = {
  "t.admin.s": { userId: "admin", roles: ["GUEST", "ADMIN"] },
  "t.guest.s": { userId: "guest", roles: ["GUEST"] },
  "t.host.s": { userId: "host", roles: ["GUEST", "HOST"] },
};
const services: Record<string, string> = { "s.deploy.s": "deploy", "s.accommodation.s": "accommodation" };

let host: ServiceHost;
let url: string;
beforeAll(async () => {
  host = await createService({
    name: "config",
    serviceNames: [ConfigService.typeName],
    log: createLogger({ service: "test", level: "silent" }),
    routes: (router) => router.service(ConfigService, { setConfig: () => ({}), getConfig: () => ({}) }),
    verifyToken: async (t) => {
      const u = users[t];
      if (!u) throw new errors.JWSInvalid("unknown");
      return u;
    },
    verifyServiceToken: async (t) => {
      const s = services[t];
      if (!s) throw new Error("unknown");
      return s;
    },
  });
  url = await host.listen({ port: 0 });
});
afterAll(() => host?.close());

function client(headers: Record<string, string>) {
  return createClient(
    ConfigService,
    createGrpcTransport({
      baseUrl: url,
      interceptors: [(next) => (req) => {
        for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
        return next(req);
      }],
    }),
  );
}
const asUser = (token: string) => client({ authorization: `Bearer ${token}` });
const asService = (token: string) => client({ [SERVICE_TOKEN_HEADER]: token });
const setConfig = (c: ReturnType<typeof client>) => c.setConfig({ service: "gateway", environment: "dev", values: {} });
const codeOf = (p: Promise<unknown>) => p.then(() => Code.Unknown - 100, (e: unknown) => ConnectError.from(e).code);

describe("callers that name roles", () => {
  it("let in a user holding a listed role", async () => {
    await expect(setConfig(asUser("t.admin.s"))).resolves.toBeDefined();
  });

  it("let in a listed service", async () => {
    await expect(setConfig(asService("s.deploy.s"))).resolves.toBeDefined();
  });

  it.each(["t.guest.s", "t.host.s"])("refuse a user without a listed role (%s)", async (token) => {
    expect(await codeOf(setConfig(asUser(token)))).toBe(Code.PermissionDenied);
  });

  it("refuse a service that is not listed, even one listed for another RPC of the same service", async () => {
    expect(await codeOf(setConfig(asService("s.accommodation.s")))).toBe(Code.PermissionDenied);
    await expect(asService("s.accommodation.s").getConfig({ service: "accommodation", environment: "dev" })).resolves.toBeDefined();
  });

  it("refuse a call with no credential, and one with a bad token", async () => {
    expect(await codeOf(setConfig(client({})))).toBe(Code.PermissionDenied);
    expect(await codeOf(setConfig(asUser("t.forged.s")))).toBe(Code.Unauthenticated);
  });
});
