import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { requestInfo } from "../src/index.js";
import { captureLogs, startTestHost } from "./fixtures.js";

describe("logging", () => {
  it("redacts credentials, tokens and personal data wherever they are logged", async () => {
    const { lines, log } = captureLogs();
    log.info({
      req: { headers: { authorization: "Bearer eyJhbGciOi.secret.sig", cookie: "sid=1", "x-service-token": "eyJzZXJ2aWNl.tok.sig" } },
      body: { password: "hunter2 hunter2", email: "ana@example.com", phone: "+821012345678" },
      tokens: { accessToken: "at", refreshToken: "rt" },
      grant: { client_secret: "s3cr3t-client", access_token: "issued-token" },
      creds: { clientSecret: "s3cr3t-camel" },
      booking: {
        request: { contact: { fullName: "Kim Minji", email: "minji@example.com" }, paymentMethodToken: "tok_visa_4242", specialRequests: "peanut allergy" },
      },
      oauth: { linkToken: "link-tok-1", link_token: "link-tok-2", idToken: "id-tok-1", id_token: "id-tok-2", codeVerifier: "verif-1", code_verifier: "verif-2" },
    });
    log.flush();
    await new Promise((r) => setTimeout(r, 50));
    const text = JSON.stringify(lines);
    for (const secret of ["eyJhbGciOi", "sid=1", "eyJzZXJ2aWNl", "s3cr3t-client", "issued-token", "s3cr3t-camel", "link-tok", "id-tok", "verif-", "hunter2", "ana@example.com", "+8210", "Kim Minji", "minji@", "tok_visa_4242", "peanut", '"at"', '"rt"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
  });

  it("writes one access line per RPC with the request id, and never the message", async () => {
    const { host, url, lines } = await startTestHost({
      login: (_req, ctx) => {
        requestInfo(ctx, undefined as never).log.info("handler ran");
        return {};
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await client.login({ email: "ana@example.com", password: "hunter2 hunter2" }, { headers: { "x-request-id": "trace-abc-123" } });
    await host.close();
    const access = lines.filter((l) => l.message === "rpc");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ rpc: "triphub.auth.v1.AuthService/Login", code: "OK", requestId: "trace-abc-123" });
    expect(lines.find((l) => l.message === "handler ran")?.requestId).toBe("trace-abc-123");
    expect(JSON.stringify(lines)).not.toContain("hunter2");
  });
});
