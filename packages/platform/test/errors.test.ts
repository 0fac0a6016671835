import { Code, type ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { DomainError, type DomainErrorKind, toConnectError } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

describe("error mapping", () => {
  it.each<[DomainErrorKind, Code]>([
    ["invalid", Code.InvalidArgument],
    ["not_found", Code.NotFound],
    ["already_exists", Code.AlreadyExists],
    ["conflict", Code.Aborted],
    ["precondition", Code.FailedPrecondition],
    ["unauthenticated", Code.Unauthenticated],
    ["forbidden", Code.PermissionDenied],
    ["exhausted", Code.ResourceExhausted],
    ["unavailable", Code.Unavailable],
  ])("maps a %s domain error to %s", (kind, code) => {
    const err = toConnectError(new DomainError(kind, "what happened"));
    expect(err.code).toBe(code);
    expect(err.rawMessage).toBe("what happened");
  });

  it("carries field violations and a reason as google.rpc details", () => {
    const err = toConnectError(
      new DomainError("invalid", "stay too long", { violations: [{ field: "check_out", description: "at most 30 nights" }], reason: "STAY_TOO_LONG" }),
    );
    expect(err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("check_out");
    expect(err.findDetails(ErrorInfoSchema)[0]?.reason).toBe("STAY_TOO_LONG");
  });

  it("hides an unexpected error behind INTERNAL and logs it with the cause", async () => {
    const { host, url, lines } = await startTestHost({
      getJwks: () => {
        throw new Error("connection string postgres://admin:hunter2@db leaked");
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const err = (await client.getJwks({}).catch((e: unknown) => e)) as ConnectError;
    expect(err.code).toBe(Code.Internal);
    expect(err.rawMessage).toBe("internal error");
    expect(JSON.stringify(err)).not.toContain("hunter2");
    expect(lines.some((l) => l["log.level"] === "error" && JSON.stringify(l.error).includes("leaked"))).toBe(true);
    await host.close();
  });

  it("sends a domain error's message and code over the wire", async () => {
    const { host, url } = await startTestHost({
      getMe: () => {
        throw new DomainError("not_found", "user 42 not found");
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await expect(client.getMe({})).rejects.toMatchObject({ code: Code.NotFound, rawMessage: "user 42 not found" });
    await host.close();
  });
});
