// ListInstances and Resolve: reads of what the registry knows, healthy as of the clock's now.
import type { ServiceImpl } from "@connectrpc/connect";
import type { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import type { Clock } from "@triphub/platform";
import { isHealthy } from "../domain/instance.js";
import { toProtoInstance } from "../proto-mapping/instance.js";
import type { InstanceStore } from "../store/instance-store.js";

type LookupRpcs = Pick<ServiceImpl<typeof RegistryService>, "listInstances" | "resolve">;

/** Lookups any service may make. */
export function lookupRpcs(d: { store: InstanceStore; now: Clock }): LookupRpcs {
  return {
    async listInstances(req) {
      const now = d.now();
      const all = await d.store.list(req.serviceName || undefined);
      const shown = req.healthyOnly ? all.filter((i) => isHealthy(i, now)) : all;
      return { instances: shown.map((i) => toProtoInstance(i, now)) };
    },
    async resolve(req) {
      const now = d.now();
      const all = await d.store.list(req.serviceName);
      const healthy = all.filter((i) => isHealthy(i, now) && i.version.startsWith(req.versionPrefix));
      return { instances: healthy.map((i) => toProtoInstance(i, now)) };
    },
  };
}
