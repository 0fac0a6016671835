// Register, Heartbeat, Deregister, ListInstances and Resolve the way services call them: real
// gRPC, real service tokens from auth, real PostgreSQL.
import { durationMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { InstanceStatus } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { eventually, rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistryPlatform, startRegistryPlatform } from "./registry-platform.js";

let p: RegistryPlatform;
beforeAll(async () => {
  // Probes every minute only: these tests register addresses nothing listens on.
  p = await startRegistryPlatform("registry_rpcs", { REGISTRY_PROBE_INTERVAL_MS: 60_000, REGISTRY_REMOVE_AFTER_MS: 30_000 });
}, 60_000);
afterAll(() => p?.close());

const codeOf = async (call: Promise<unknown>) => (await rejectionOf(call, ConnectError)).code;
const as = (service: string) => p.as(p.auth.asService(service));
const instance = (serviceName: string, instanceId: string, more: Record<string, unknown> = {}) => ({
  serviceName,
  instanceId,
  address: "127.0.0.1:9",
  version: "1.4.2",
  metadata: { zone: "a", protocol: "h2c" },
  ...more,
});

describe("registration", () => {
  it("registers, renews by heartbeat and deregisters an instance", async () => {
    const payment = as("payment");
    const { instance: got, heartbeatInterval } = await payment.register({ ...instance("payment", "pay-1"), leaseTtl: { seconds: 9n } });
    expect(got).toMatchObject({ serviceName: "payment", instanceId: "pay-1", address: "127.0.0.1:9", status: InstanceStatus.SERVING, healthy: true });
    expect(durationMs(heartbeatInterval!)).toBe(3_000);
    expect((await payment.resolve({ serviceName: "payment" })).instances.map((i) => i.instanceId)).toEqual(["pay-1"]);

    const { leaseExpireTime } = await payment.heartbeat({ serviceName: "payment", instanceId: "pay-1" });
    expect(Number(leaseExpireTime!.seconds)).toBeGreaterThan(Number(got!.leaseExpireTime!.seconds) - 1);

    await payment.heartbeat({ serviceName: "payment", instanceId: "pay-1", status: InstanceStatus.NOT_SERVING });
    expect((await payment.resolve({ serviceName: "payment" })).instances).toEqual([]);
    const [listed] = (await payment.listInstances({ serviceName: "payment" })).instances;
    expect(listed).toMatchObject({ instanceId: "pay-1", status: InstanceStatus.NOT_SERVING, healthy: false });

    await payment.deregister({ serviceName: "payment", instanceId: "pay-1" });
    expect((await payment.listInstances({ serviceName: "payment" })).instances).toEqual([]);
    // Idempotent: removing it again succeeds.
    await payment.deregister({ serviceName: "payment", instanceId: "pay-1" });
  });

  it("answers NOT_FOUND to the heartbeat of an instance it does not know, and registering again is idempotent", async () => {
    const review = as("review");
    expect(await codeOf(review.heartbeat({ serviceName: "review", instanceId: "never" }))).toBe(Code.NotFound);
    await review.register(instance("review", "rev-1"));
    await review.register(instance("review", "rev-1", { address: "127.0.0.1:10", version: "1.5.0" }));
    const listed = (await review.listInstances({ serviceName: "review" })).instances;
    expect(listed.map((i) => [i.instanceId, i.address, i.version])).toEqual([["rev-1", "127.0.0.1:10", "1.5.0"]]);
  });

  it("resolves healthy instances by version prefix, ordered by id, and lists every service in order", async () => {
    const reservation = as("reservation");
    await reservation.register(instance("reservation", "res-b", { version: "2.0.1" }));
    await reservation.register(instance("reservation", "res-a", { version: "1.9.0" }));
    await reservation.register(instance("reservation", "res-c", { version: "2.0.3", status: InstanceStatus.DRAINING }));
    expect((await reservation.resolve({ serviceName: "reservation" })).instances.map((i) => i.instanceId)).toEqual(["res-a", "res-b"]);
    expect((await reservation.resolve({ serviceName: "reservation", versionPrefix: "2." })).instances.map((i) => i.instanceId)).toEqual(["res-b"]);
    expect((await reservation.resolve({ serviceName: "nobody" })).instances).toEqual([]);
    const all = (await reservation.listInstances({})).instances.map((i) => `${i.serviceName}/${i.instanceId}`);
    expect(all).toEqual([...all].sort());
    expect(all).toContain("reservation/res-c");
    expect((await reservation.listInstances({ serviceName: "reservation", healthyOnly: true })).instances.map((i) => i.instanceId)).toEqual(["res-a", "res-b"]);
  });
});

describe("leases", () => {
  it("takes an instance out when its lease lapses, answers its heartbeat NOT_FOUND, and forgets it after the grace period", async () => {
    const auth = as("auth");
    await auth.register({ ...instance("auth", "auth-1"), leaseTtl: { seconds: 5n } });
    p.clock.advance(6_000);
    await eventually(async () => {
      const [listed] = (await auth.listInstances({ serviceName: "auth" })).instances;
      expect(listed).toMatchObject({ instanceId: "auth-1", healthy: false });
    });
    expect((await auth.resolve({ serviceName: "auth" })).instances).toEqual([]);
    expect(await codeOf(auth.heartbeat({ serviceName: "auth", instanceId: "auth-1" }))).toBe(Code.NotFound);
    // The instance's answer to NOT_FOUND brings it back.
    await auth.register({ ...instance("auth", "auth-1"), leaseTtl: { seconds: 5n } });
    expect((await auth.resolve({ serviceName: "auth" })).instances.map((i) => i.instanceId)).toEqual(["auth-1"]);
    p.clock.advance(6_000 + 30_000);
    await eventually(async () => expect((await auth.listInstances({ serviceName: "auth" })).instances).toEqual([]));
  });
});

describe("who may call", () => {
  it("refuses a user's token, and a call with no credential", async () => {
    const user = await p.auth.signUp();
    expect(await codeOf(p.as(user).resolve({ serviceName: "payment" }))).toBe(Code.PermissionDenied);
    expect(await codeOf(p.as(p.auth.admin).listInstances({}))).toBe(Code.PermissionDenied);
    expect(await codeOf(p.as(undefined).register(instance("payment", "x")))).toBe(Code.PermissionDenied);
  });

  it("lets a service register, renew and remove only its own instances", async () => {
    const review = as("review");
    expect(await codeOf(review.register(instance("payment", "rogue")))).toBe(Code.PermissionDenied);
    await as("payment").register(instance("payment", "pay-9"));
    expect(await codeOf(review.heartbeat({ serviceName: "payment", instanceId: "pay-9" }))).toBe(Code.PermissionDenied);
    expect(await codeOf(review.deregister({ serviceName: "payment", instanceId: "pay-9" }))).toBe(Code.PermissionDenied);
    // Anyone may look.
    expect((await review.resolve({ serviceName: "payment" })).instances.map((i) => i.instanceId)).toContain("pay-9");
  });

  it("refuses bad input before the handler", async () => {
    const payment = as("payment");
    const bad = [
      instance("Payment", "p-1"),
      instance("payment", "-starts-with-dash"),
      instance("payment", "p-1", { address: "no-port" }),
      instance("payment", "p-1", { version: "" }),
      instance("payment", "p-1", { metadata: { "Bad Key": "x" } }),
      { ...instance("payment", "p-1"), leaseTtl: { seconds: 1n } },
      { ...instance("payment", "p-1"), leaseTtl: { seconds: 3600n } },
      instance("payment", "p-1", { status: 42 }),
    ];
    for (const req of bad) expect(await codeOf(payment.register(req)), JSON.stringify(req, (_k, v) => (typeof v === "bigint" ? String(v) : v))).toBe(Code.InvalidArgument);
    expect(await codeOf(payment.resolve({ serviceName: "" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(payment.heartbeat({ serviceName: "payment", instanceId: "" }))).toBe(Code.InvalidArgument);
    expect((await payment.listInstances({ serviceName: "payment" })).instances.map((i) => i.instanceId)).not.toContain("p-1");
  });
});
