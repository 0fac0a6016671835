// The registry's active health checks against real processes: a stopped server is taken out
// after failed probes, and brought back once it answers again.
import { InstanceStatus } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { ServingStatus } from "@triphub/platform";
import { eventually, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bareService, type RegistryPlatform, startRegistryPlatform } from "./registry-platform.js";

let p: RegistryPlatform;
beforeAll(async () => {
  p = await startRegistryPlatform("registry_probes", { REGISTRY_PROBE_INTERVAL_MS: 200, REGISTRY_PROBE_FAILURES: 3, REGISTRY_POLL_MS: 200 });
}, 60_000);
afterAll(() => p?.close());

const addressOf = (s: RunningService) => new URL(s.url).host;

describe("health probes", () => {
  it("takes out an instance whose server stopped answering, and brings it back when it answers again", async () => {
    const accommodation = p.as(p.auth.asService("accommodation"));
    let instance = await serve(await bareService(p.deps));
    const port = Number(new URL(instance.url).port);
    // A long lease: only the probes can take it out.
    await accommodation.register({ serviceName: "accommodation", instanceId: "acc-1", address: addressOf(instance), version: "1", leaseTtl: { seconds: 300n } });
    const healthy = async () => (await accommodation.resolve({ serviceName: "accommodation" })).instances.map((i) => i.instanceId);
    expect(await healthy()).toEqual(["acc-1"]);

    await instance.close();
    await eventually(async () => expect(await healthy()).toEqual([]), 10_000);
    const [listed] = (await accommodation.listInstances({ serviceName: "accommodation" })).instances;
    // Still registered (the lease holds), but out of rotation.
    expect(listed).toMatchObject({ instanceId: "acc-1", status: InstanceStatus.SERVING, healthy: false });

    instance = await serve(await bareService(p.deps), { port });
    await eventually(async () => expect(await healthy()).toEqual(["acc-1"]), 10_000);
    await instance.close();
  });

  it("takes out an instance whose health says NOT_SERVING, without waiting for more failures", async () => {
    const review = p.as(p.auth.asService("review"));
    const instance = await serve(await bareService(p.deps, "review"));
    await review.register({ serviceName: "review", instanceId: "rev-1", address: addressOf(instance), version: "1", leaseTtl: { seconds: 300n } });
    const healthy = async () => (await review.resolve({ serviceName: "review" })).instances.map((i) => i.instanceId);
    expect(await healthy()).toEqual(["rev-1"]);
    // What the chassis does when its database is gone or shutdown begins.
    instance.host.health.setAll(ServingStatus.NOT_SERVING);
    await eventually(async () => expect(await healthy()).toEqual([]), 5_000);
    instance.host.health.setAll(ServingStatus.SERVING);
    await eventually(async () => expect(await healthy()).toEqual(["rev-1"]), 5_000);
    await instance.close();
  });

  it("does not take out an instance that answers, however long it runs", async () => {
    const payment = p.as(p.auth.asService("payment"));
    const instance = await serve(await bareService(p.deps, "payment"));
    await payment.register({ serviceName: "payment", instanceId: "pay-1", address: addressOf(instance), version: "1", leaseTtl: { seconds: 300n } });
    // Several probe rounds.
    await new Promise((r) => setTimeout(r, 1_500));
    const [listed] = (await payment.listInstances({ serviceName: "payment" })).instances;
    expect(listed).toMatchObject({ instanceId: "pay-1", healthy: true });
    await instance.close();
  });
});
