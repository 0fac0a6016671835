import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { boundError } from "../src/error-bounds.js";
import { DomainError } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

describe("bounded error details", () => {
  it("answers thousands of validation violations over gRPC with INVALID_ARGUMENT, the first 20 and a count of the rest", async () => {
    let calls = 0;
    const { host, url } = await startTestHost({
      setUserRoles: () => {
        calls++;
        return {};
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const err = await client.setUserRoles({ userId: "00000000-0000-4000-8000-000000000000", roles: Array(3000).fill(0) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    const ce = err as ConnectError;
    expect(ce.code).toBe(Code.InvalidArgument);
    const fields = ce.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(20);
    const violations = ce.findDetails(ViolationsSchema).flatMap((d) => d.violations);
    expect(violations.length).toBe(fields.length);
    // 3,000 items not in [0] plus max_items and unique: the message counts those left out.
    // Received details carry their bytes; base64 in the trailer adds a third.
    const bytes = ce.details.reduce((n, d) => n + (d.value instanceof Uint8Array ? d.value.byteLength : 0), 0);
    expect(bytes).toBeLessThan(6_000);
    const left = 3002 - fields.length;
    expect(ce.rawMessage).toContain(`${left.toLocaleString("en-US")} more`);
    expect(calls).toBe(0);
    await host.close();
  });

  it("bounds a domain error's violations, their descriptions and its message", async () => {
    const { host, url } = await startTestHost({
      getMe: () => {
        const violations = Array.from({ length: 5000 }, (_, i) => ({ field: `items[${i}]`, description: "x".repeat(2000) }));
        throw new DomainError("invalid", `bad items: ${"y".repeat(100_000)}`, { violations });
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const ce = (await client.getMe({}).catch((e: unknown) => e)) as ConnectError;
    expect(ce.code).toBe(Code.InvalidArgument);
    const fields = ce.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(20);
    for (const f of fields) expect(f.description.length).toBeLessThanOrEqual(300);
    expect(ce.rawMessage.length).toBeLessThan(1000);
    expect(ce.rawMessage).toContain(`${(5000 - fields.length).toLocaleString("en-US")} more`);
    await host.close();
  });

  it("bounds violations received from another service, which arrive as bytes", () => {
    const fieldViolations = Array.from({ length: 100 }, (_, i) => ({ field: `ids[${i}]`, description: "not a uuid" }));
    const received = new ConnectError("bad ids", Code.InvalidArgument);
    received.details.push({ type: BadRequestSchema.typeName, value: toBinary(BadRequestSchema, create(BadRequestSchema, { fieldViolations })) });
    const bounded = boundError(received);
    expect(bounded.findDetails(BadRequestSchema)[0]?.fieldViolations).toHaveLength(20);
    expect(bounded.rawMessage).toBe("bad ids (the details list 20; 80 more not listed)");
  });

  it("leaves an error that fits as it is", () => {
    const err = new ConnectError("user 42 not found", Code.NotFound);
    expect(boundError(err)).toBe(err);
  });
});
