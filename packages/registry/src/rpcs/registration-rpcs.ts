// Register, Heartbeat and Deregister: an instance's own lifecycle, each a single store call.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { type Clock, DomainError } from "@triphub/platform";
import { heartbeatIntervalMs } from "../domain/instance.js";
import { registrationFromProto, statusFromProto, toProtoDuration, toProtoInstance } from "../proto-mapping/instance.js";
import type { InstanceStore } from "../store/instance-store.js";
import { requireOwnService } from "./access.js";

type RegistrationRpcs = Pick<ServiceImpl<typeof RegistryService>, "register" | "heartbeat" | "deregister">;

/** The RPCs an instance calls about itself; each caller may touch only its own service's instances. */
export function registrationRpcs(d: { store: InstanceStore; now: Clock }): RegistrationRpcs {
  return {
    async register(req, ctx) {
      requireOwnService(ctx, req.serviceName);
      const registration = registrationFromProto(req);
      const now = d.now();
      const instance = await d.store.register(registration, now);
      return { instance: toProtoInstance(instance, now), heartbeatInterval: toProtoDuration(heartbeatIntervalMs(registration.leaseTtlMs)) };
    },
    async heartbeat(req, ctx) {
      requireOwnService(ctx, req.serviceName);
      const renewed = await d.store.heartbeat(req.serviceName, req.instanceId, statusFromProto(req.status), d.now());
      // The instance's cue to register again: its lease lapsed, or it was never registered here.
      if (!renewed) throw new DomainError("not_found", `instance ${req.instanceId} of ${req.serviceName} is not registered (or its lease lapsed): register again`);
      return { leaseExpireTime: timestampFromDate(renewed.leaseExpiresAt) };
    },
    async deregister(req, ctx) {
      requireOwnService(ctx, req.serviceName);
      await d.store.deregister(req.serviceName, req.instanceId);
      return {};
    },
  };
}
