import { EventEmitter, on } from "node:events";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type Health, HealthCheckResponse_ServingStatus as Status, HealthCheckResponseSchema } from "@triphub/contracts";
import type { HealthListResponse } from "@triphub/contracts/health/v1/health_pb";

export { HealthCheckResponse_ServingStatus as ServingStatus } from "@triphub/contracts";

/**
 * The serving status of the process ("") and of each service it hosts, as grpc.health.v1
 * reports it. The chassis marks everything SERVING once started and NOT_SERVING when shutdown
 * begins, so load balancers stop sending before connections close.
 */
export interface HealthState {
  set(service: string, status: Status): void;
  get(service: string): Status | undefined;
  /** Sets every known service (and the process) at once. */
  setAll(status: Status): void;
  /** Current status, then every change, until `signal` aborts. */
  watch(service: string, signal: AbortSignal): AsyncIterable<Status>;
  all(): Map<string, Status>;
}

/** A health state for the process and the named services, all NOT_SERVING until started. */
export function createHealthState(services: string[]): HealthState {
  const statuses = new Map<string, Status>([["", Status.NOT_SERVING], ...services.map((s) => [s, Status.NOT_SERVING] as const)]);
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const set = (service: string, status: Status) => {
    if (statuses.get(service) === status) return;
    statuses.set(service, status);
    changes.emit("change", service, status);
  };
  return {
    set,
    get: (service) => statuses.get(service),
    setAll: (status) => {
      for (const s of statuses.keys()) set(s, status);
    },
    all: () => new Map(statuses),
    async *watch(service, signal) {
      let last = statuses.get(service) ?? Status.SERVICE_UNKNOWN;
      yield last;
      try {
        for await (const [changed, status] of on(changes, "change", { signal })) {
          if (changed === service && status !== last) {
            last = status as Status;
            yield last;
          }
        }
      } catch (e) {
        if (!signal.aborted) throw e;
      }
    },
  };
}

/** grpc.health.v1.Health over a {@link HealthState}. */
export function healthService(state: HealthState): ServiceImpl<typeof Health> {
  return {
    check(req) {
      const status = state.get(req.service);
      if (status === undefined) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
      return create(HealthCheckResponseSchema, { status });
    },
    async *watch(req, ctx) {
      for await (const status of state.watch(req.service, ctx.signal)) {
        yield create(HealthCheckResponseSchema, { status });
      }
    },
    list() {
      const statuses: HealthListResponse["statuses"] = {};
      for (const [name, status] of state.all()) statuses[name] = create(HealthCheckResponseSchema, { status });
      return { statuses };
    },
  };
}
