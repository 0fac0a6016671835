import { createClient, ConnectError } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { startTestHost } from "./fixtures.js";

describe("request validation", () => {
  it("rejects an invalid request with INVALID_ARGUMENT naming each field, before the handler runs", async () => {
    let calls = 0;
    const { host, url } = await startTestHost({
      signUp: () => {
        calls++;
        return {};
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const err = await client.signUp({ email: "not-an-email", password: "short", displayName: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    const ce = err as ConnectError;
    expect(ce.code).toBe(3);
    const [bad] = ce.findDetails(BadRequestSchema);
    expect(bad?.fieldViolations.map((v) => v.field).sort()).toEqual(["display_name", "email", "password"]);
    expect(calls).toBe(0);
    await host.close();
  });

  it("lets a valid request through", async () => {
    const { host, url } = await startTestHost({ signUp: () => ({}) });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await expect(
      client.signUp({ email: "ana@example.com", password: "long enough pw", displayName: "Ana" }),
    ).resolves.toBeDefined();
    await host.close();
  });

  it("answers Connect JSON with unknown fields as invalid, not silently ignored", async () => {
    const { host, url } = await startTestHost({ getJwks: () => ({}) });
    const res = await fetch(`${url}/triphub.auth.v1.AuthService/GetJwks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ surprise: 1 }),
    });
    expect(res.status).toBe(400);
    await host.close();
  });
});
