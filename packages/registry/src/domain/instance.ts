// What the registry knows about one running process of a service, and the pure rules about it:
// when it is healthy, how long its lease lasts, when to heartbeat. No I/O, no clock: time is
// passed in.

/** What an instance says about itself (the proto's InstanceStatus without UNSPECIFIED). */
export type InstanceStatus = "serving" | "not_serving" | "draining";

/** One registered instance as the store keeps it. */
export interface Instance {
  serviceName: string;
  instanceId: string;
  /** "host:port" its Connect/gRPC port answers on. */
  address: string;
  version: string;
  metadata: Record<string, string>;
  status: InstanceStatus;
  registeredAt: Date;
  lastHeartbeatAt: Date;
  leaseExpiresAt: Date;
  leaseTtlMs: number;
  /** Set by the sweeper once the lease lapsed: from then on Heartbeat is NOT_FOUND. */
  lapsed: boolean;
  /** False once the registry's health probes took the instance out (see {@link judgeProbe}). */
  probeOk: boolean;
  /** Probes failed in a row since the last one that answered. */
  probeFailures: number;
}

/** What Register writes: the instance's own description and its lease. */
export interface Registration {
  serviceName: string;
  instanceId: string;
  address: string;
  version: string;
  metadata: Record<string, string>;
  status: InstanceStatus;
  leaseTtlMs: number;
}

/** The lease an instance gets when it does not ask for one. */
export const DEFAULT_LEASE_TTL_MS = 30_000;

/** How often an instance should heartbeat: a third of its lease, so two may be lost in a row. */
export const heartbeatIntervalMs = (leaseTtlMs: number): number => Math.floor(leaseTtlMs / 3);

/** Whether the lease is still running at `now`. */
export const leaseLive = (i: Pick<Instance, "lapsed" | "leaseExpiresAt">, now: Date): boolean =>
  !i.lapsed && i.leaseExpiresAt.getTime() > now.getTime();

/**
 * Whether clients should send it traffic: it says SERVING, its lease is live and the registry's
 * probes have not taken it out.
 */
export const isHealthy = (i: Instance, now: Date): boolean => i.status === "serving" && i.probeOk && leaseLive(i, now);

/** What one health probe of an instance found. */
export type ProbeResult = "serving" | "not_serving" | "unreachable";

/** The probe state after a probe, and whether the instance went in or out of rotation. */
export interface ProbeJudgement {
  probeOk: boolean;
  probeFailures: number;
  changed: boolean;
}

/**
 * Folds one probe into the instance's probe state. An instance that answers NOT_SERVING says so
 * itself and is out at once; one that does not answer is out only after `failuresToEject` in a
 * row, so one lost packet does not move traffic. One SERVING answer brings it back.
 */
export function judgeProbe(state: Pick<Instance, "probeOk" | "probeFailures">, result: ProbeResult, failuresToEject: number): ProbeJudgement {
  switch (result) {
    case "serving":
      return { probeOk: true, probeFailures: 0, changed: !state.probeOk };
    case "not_serving":
      return { probeOk: false, probeFailures: state.probeFailures + 1, changed: state.probeOk };
    case "unreachable": {
      const probeFailures = state.probeFailures + 1;
      const probeOk = state.probeOk && probeFailures < failuresToEject;
      return { probeOk, probeFailures, changed: probeOk !== state.probeOk };
    }
    default: {
      const never: never = result;
      throw new Error(`unknown probe result ${String(never)}`);
    }
  }
}

/**
 * What decides whether a watcher's snapshot changed: who is in it and how to reach them, not the
 * heartbeat times that move every few seconds.
 */
export const membershipKey = (instances: readonly Instance[]): string =>
  JSON.stringify(instances.map((i) => [i.serviceName, i.instanceId, i.address, i.version, i.status, Object.entries(i.metadata).sort()]));
