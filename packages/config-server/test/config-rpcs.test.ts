import { Code, ConnectError } from "@connectrpc/connect";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { clientAs } from "@triphub/test-stack";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigPlatform, startConfigPlatform } from "./config-platform.js";

let p: ConfigPlatform;
beforeAll(async () => {
  p = await startConfigPlatform("config_rpcs");
}, 60_000);
afterAll(async () => {
  await p?.close();
});

const violationsOf = (e: ConnectError) => e.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));

describe("versions", () => {
  it("reads version 0 with no values for a pair never configured", async () => {
    const { config } = await p.as(p.auth.asService("reservation")).getConfig({ service: "reservation", environment: "staging" });
    expect(config?.version).toBe(0n);
    expect(config?.values).toEqual({});
  });

  it("writes each change as a new version with its author and comment, and lists them newest first, page by page", async () => {
    const admin = p.as(p.auth.admin);
    const deploy = p.as(p.auth.asService("deploy"));
    const first = await admin.setConfig({ service: "gateway", environment: "dev", values: { log_level: "info" }, comment: "start quiet" });
    const second = await deploy.setConfig({
      service: "gateway",
      environment: "dev",
      values: { log_level: "debug", "feature_flags.instant_book": "true" },
      expectedVersion: 1n,
      comment: "release 42",
    });
    const third = await admin.setConfig({ service: "gateway", environment: "dev", values: { "rate_limits.search.ip.limit": "30" }, comment: "sale" });
    expect([first.config?.version, second.config?.version, third.config?.version]).toEqual([1n, 2n, 3n]);
    expect(first.config?.author).toBe(p.auth.admin.userId);
    expect(second.config?.author).toBe("deploy");
    expect(second.config?.comment).toBe("release 42");

    const latest = await p.as(p.auth.asService("gateway")).getConfig({ service: "gateway", environment: "dev" });
    expect(latest.config?.version).toBe(3n);
    expect(latest.config?.values).toEqual({ "rate_limits.search.ip.limit": "30" });

    const page1 = await admin.listConfigVersions({ service: "gateway", environment: "dev", pageSize: 2 });
    expect(page1.versions.map((v) => v.version)).toEqual([3n, 2n]);
    expect(page1.nextPageToken).not.toBe("");
    const page2 = await admin.listConfigVersions({ service: "gateway", environment: "dev", pageSize: 2, pageToken: page1.nextPageToken });
    expect(page2.versions.map((v) => [v.version, v.comment, v.values])).toEqual([[1n, "start quiet", { log_level: "info" }]]);
    expect(page2.nextPageToken).toBe("");
  });

  it("rolls back by writing a new version with an old version's values", async () => {
    const admin = p.as(p.auth.admin);
    await admin.setConfig({ service: "accommodation", environment: "dev", values: { search_cache_ttl_seconds: "60" }, comment: "a" });
    await admin.setConfig({ service: "accommodation", environment: "dev", values: { search_cache_ttl_seconds: "600", log_level: "warn" }, comment: "b" });
    const { config } = await admin.rollbackConfig({ service: "accommodation", environment: "dev", toVersion: 1n, expectedVersion: 2n });
    expect(config?.version).toBe(3n);
    expect(config?.restoredVersion).toBe(1n);
    expect(config?.comment).toBe("rollback to version 1");
    expect(config?.values).toEqual({ search_cache_ttl_seconds: "60" });
    const listed = await admin.listConfigVersions({ service: "accommodation", environment: "dev" });
    expect(listed.versions.map((v) => v.version)).toEqual([3n, 2n, 1n]);
    const missing = await rejectionOf(admin.rollbackConfig({ service: "accommodation", environment: "dev", toVersion: 9n }), ConnectError);
    expect(missing.code).toBe(Code.NotFound);
  });

  it("answers ABORTED to a write based on a stale version, and writes nothing", async () => {
    const admin = p.as(p.auth.admin);
    await admin.setConfig({ service: "review", environment: "dev", values: { log_level: "info" }, expectedVersion: 0n });
    await admin.setConfig({ service: "review", environment: "dev", values: { log_level: "warn" }, expectedVersion: 1n });
    const stale = await rejectionOf(admin.setConfig({ service: "review", environment: "dev", values: { log_level: "debug" }, expectedVersion: 1n }), ConnectError);
    expect(stale.code).toBe(Code.Aborted);
    const staleRollback = await rejectionOf(admin.rollbackConfig({ service: "review", environment: "dev", toVersion: 1n, expectedVersion: 1n }), ConnectError);
    expect(staleRollback.code).toBe(Code.Aborted);
    const { config } = await admin.getConfig({ service: "review", environment: "dev" });
    expect([config?.version, config?.values]).toEqual([2n, { log_level: "warn" }]);
  });

  it("keeps environments apart", async () => {
    const admin = p.as(p.auth.admin);
    await admin.setConfig({ service: "payment", environment: "prod", values: { log_level: "error" } });
    const dev = await admin.getConfig({ service: "payment", environment: "dev" });
    expect(dev.config?.version).toBe(0n);
  });
});

describe("schema checks", () => {
  it.each([
    ["a log level that is none", { log_level: "loud" }, "values[log_level]"],
    ["a negative quota", { "rate_limits.search.ip.limit": "-5" }, "values[rate_limits.search.ip.limit]"],
    ["a quota that is not a number", { "rate_limits.login.user.limit": "lots" }, "values[rate_limits.login.user.limit]"],
    ["a flag that is not a boolean", { "feature_flags.instant_book": "yes please" }, "values[feature_flags.instant_book]"],
    ["a key the schema does not know", { cache_size: "10" }, "values[cache_size]"],
    ["a key that looks like a secret", { "database.password": "hunter2" }, "values[database.password]"],
    ["a group set as a value", { rate_limits: "30" }, "values[rate_limits]"],
  ])("refuses %s with INVALID_ARGUMENT and writes nothing", async (_, values, field) => {
    const admin = p.as(p.auth.admin);
    const before = await admin.getConfig({ service: "gateway", environment: "qa" });
    const e = await rejectionOf(admin.setConfig({ service: "gateway", environment: "qa", values: { log_level: "info", ...values } }), ConnectError);
    expect(e.code).toBe(Code.InvalidArgument);
    expect(violationsOf(e)).toEqual([field]);
    const after = await admin.getConfig({ service: "gateway", environment: "qa" });
    expect(after.config?.version).toBe(before.config?.version);
  });

  it("says which secret-looking key it refused without echoing its value", async () => {
    const e = await rejectionOf(
      p.as(p.auth.admin).setConfig({ service: "reservation", environment: "dev", values: { "payment.api_key": "sk_live_abc" } }),
      ConnectError,
    );
    expect(e.code).toBe(Code.InvalidArgument);
    expect(e.message).toContain("secret");
    expect(e.message).not.toContain("sk_live_abc");
  });

  it("refuses any value for a service that declares no settings", async () => {
    const e = await rejectionOf(p.as(p.auth.admin).setConfig({ service: "nosuch", environment: "dev", values: { log_level: "info" } }), ConnectError);
    expect(e.code).toBe(Code.InvalidArgument);
  });
});

describe("who may", () => {
  it.each([
    ["a GUEST", [] as Role[]],
    ["a HOST", [Role.HOST]],
  ])("refuses %s any change or history", async (_, roles) => {
    const user = p.as(await p.auth.signUp(roles));
    for (const call of [
      user.setConfig({ service: "gateway", environment: "dev", values: {} }),
      user.rollbackConfig({ service: "gateway", environment: "dev", toVersion: 1n }),
      user.listConfigVersions({ service: "gateway", environment: "dev" }),
      user.getConfig({ service: "gateway", environment: "dev" }),
    ]) {
      expect((await rejectionOf(call, ConnectError)).code).toBe(Code.PermissionDenied);
    }
  });

  it("refuses other services a change, but lets them read their configuration", async () => {
    const accommodation = p.as(p.auth.asService("accommodation"));
    const e = await rejectionOf(accommodation.setConfig({ service: "accommodation", environment: "dev", values: { log_level: "debug" } }), ConnectError);
    expect(e.code).toBe(Code.PermissionDenied);
    expect((await rejectionOf(accommodation.listConfigVersions({ service: "accommodation", environment: "dev" }), ConnectError)).code).toBe(Code.PermissionDenied);
    await expect(accommodation.getConfig({ service: "accommodation", environment: "dev" })).resolves.toBeDefined();
  });

  it("refuses a call without credentials", async () => {
    const e = await rejectionOf(clientAs(p.server, ConfigService, undefined).getConfig({ service: "gateway", environment: "dev" }), ConnectError);
    expect(e.code).toBe(Code.PermissionDenied);
  });
});
