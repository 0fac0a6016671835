import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as Status } from "@triphub/contracts";
import { type Clock, clientTlsFor, createPeriodicJob, type Logger, type PeriodicJob } from "@triphub/platform";
import type { ProbeResult } from "../domain/instance.js";
import type { InstanceStore, ProbeTarget } from "../store/instance-store.js";

/** Options for {@link createHealthProber}. */
export interface HealthProberOptions {
  store: InstanceStore;
  now: Clock;
  log: Logger;
  /** How often each instance is probed (by one of the registries sharing the database). */
  intervalMs: number;
  /** How long a probe waits for an answer before it counts as failed. */
  timeoutMs: number;
  /** Failed probes in a row that take an instance out. */
  failuresToEject: number;
}

// Instances claimed per round: a round probes them all at once.
const BATCH = 100;
// A connection to an instance not probed for this long is closed (the instance went away).
const IDLE_CONNECTION_MS = 60_000;

/**
 * The registry's active health checks: every instance's grpc.health.v1 Check (which every
 * TripHub service serves), each probed by whichever registry claims it first. An instance that
 * answers NOT_SERVING is out at once; one that does not answer is out after `failuresToEject`
 * failures in a row; a SERVING answer brings it back. Scheme: `https` when the instance's
 * `protocol` metadata says `tls` (with the process's client TLS), otherwise h2c.
 */
export function createHealthProber(opts: HealthProberOptions): PeriodicJob & { probeDue(): Promise<void> } {
  const connections = new Map<string, { client: Client<typeof Health>; sessions: Http2SessionManager; usedAt: number }>();

  const clientFor = (target: ProbeTarget) => {
    const url = `${target.metadata.protocol === "tls" ? "https" : "http"}://${target.address}`;
    let c = connections.get(url);
    if (!c) {
      const nodeOptions = clientTlsFor(url);
      const sessions = new Http2SessionManager(url, undefined, nodeOptions);
      c = { client: createClient(Health, createGrpcTransport({ baseUrl: url, sessionManager: sessions, nodeOptions })), sessions, usedAt: 0 };
      connections.set(url, c);
    }
    c.usedAt = performance.now();
    return c.client;
  };

  async function probe(target: ProbeTarget): Promise<ProbeResult> {
    try {
      const res = await clientFor(target).check({ service: "" }, { timeoutMs: opts.timeoutMs });
      return res.status === Status.SERVING ? "serving" : "not_serving";
    } catch (e) {
      // It answered, but not as a health service should: treat like no answer.
      if (ConnectError.from(e).code === Code.Unimplemented) opts.log.warn({ address: target.address }, "instance serves no grpc.health.v1");
      return "unreachable";
    }
  }

  async function probeDue(): Promise<void> {
    const targets = await opts.store.claimProbes(opts.now(), opts.intervalMs, BATCH);
    await Promise.all(
      targets.map(async (t) => {
        const result = await probe(t);
        const changed = await opts.store.recordProbe(t, result, opts.failuresToEject);
        if (changed) {
          const back = result === "serving";
          opts.log[back ? "info" : "warn"]({ service: t.serviceName, instanceId: t.instanceId, address: t.address, result }, back ? "instance healthy again: back in rotation" : "instance failed its health checks: out of rotation");
        }
      }),
    );
    const idleSince = performance.now() - IDLE_CONNECTION_MS;
    for (const [url, c] of connections) {
      if (c.usedAt < idleSince) {
        c.sessions.abort();
        connections.delete(url);
      }
    }
  }

  // Ticks faster than the interval: claiming is what spaces each instance's probes.
  const job = createPeriodicJob({ name: "health probe", intervalMs: Math.max(100, Math.min(1_000, opts.intervalMs / 2)), log: opts.log, run: probeDue });
  return {
    probeDue,
    start: job.start,
    async stop() {
      await job.stop();
      for (const c of connections.values()) c.sessions.abort();
      connections.clear();
    },
  };
}
