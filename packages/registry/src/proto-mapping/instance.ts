// proto <-> domain for instances, nothing else.
import { create } from "@bufbuild/protobuf";
import { type Duration, durationFromMs, durationMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Instance as ProtoInstance,
  InstanceSchema,
  InstanceStatus as ProtoStatus,
  type RegisterRequest,
} from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { enumMapping } from "@triphub/platform";
import { DEFAULT_LEASE_TTL_MS, type Instance, type InstanceStatus, isHealthy, type Registration } from "../domain/instance.js";

const statuses = enumMapping<InstanceStatus, ProtoStatus>(
  { serving: ProtoStatus.SERVING, not_serving: ProtoStatus.NOT_SERVING, draining: ProtoStatus.DRAINING },
  "instance status",
);

/** A request's status: undefined when UNSPECIFIED (the caller leaves it as it is, or SERVING on Register). */
export const statusFromProto = (s: ProtoStatus): InstanceStatus | undefined => (s === ProtoStatus.UNSPECIFIED ? undefined : statuses.fromProto(s));

/** What a Register request asks to record. */
export function registrationFromProto(req: RegisterRequest): Registration {
  return {
    serviceName: req.serviceName,
    instanceId: req.instanceId,
    address: req.address,
    version: req.version,
    metadata: { ...req.metadata },
    status: statusFromProto(req.status) ?? "serving",
    leaseTtlMs: req.leaseTtl ? durationMs(req.leaseTtl) : DEFAULT_LEASE_TTL_MS,
  };
}

/** An instance as the contract shows it, healthy as of `now`. */
export function toProtoInstance(i: Instance, now: Date): ProtoInstance {
  return create(InstanceSchema, {
    serviceName: i.serviceName,
    instanceId: i.instanceId,
    address: i.address,
    version: i.version,
    metadata: i.metadata,
    status: statuses.toProto(i.status),
    healthy: isHealthy(i, now),
    registerTime: timestampFromDate(i.registeredAt),
    lastHeartbeatTime: timestampFromDate(i.lastHeartbeatAt),
    leaseExpireTime: timestampFromDate(i.leaseExpiresAt),
  });
}

/** A duration of whole milliseconds. */
export const toProtoDuration = (ms: number): Duration => durationFromMs(ms);
