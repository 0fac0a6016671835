/** A process the devstack runs. */
export interface ServiceSpec {
  /** Short name: database `triphub_<name>`, log file `<data>/logs/<name>.log`. */
  name: string;
  /** Package folder under packages/. */
  dir: string;
  /** Port before DEVSTACK_PORT_OFFSET is added. */
  port: number;
  /** Whether it owns a database. */
  database: boolean;
  /** Routed by the gateway (client-facing RPCs). */
  public: boolean;
  /** Started (and ready) before the others, which read from it at their start. */
  early?: boolean;
}

/** Every service that exists today, in start order; the gateway comes last. */
export const SERVICES: ServiceSpec[] = [
  { name: "auth", dir: "auth", port: 7101, database: true, public: true, early: true },
  // The registry: every service (the gateway and the registry itself too) registers with it
  // once ready (REGISTRY_URL) and deregisters before draining. It checks callers' service
  // tokens against auth's keys, fetched on first use, so it starts beside auth; whoever starts
  // before it retries with back-off. Internal: the gateway does not route it.
  { name: "registry", dir: "registry", port: 7106, database: true, public: false, early: true },
  // The config server: every service (the gateway too) loads its settings from it at start
  // (CONFIG_URL) and follows them. Internal: the gateway does not route it.
  { name: "config", dir: "config-server", port: 7107, database: true, public: false, early: true },
  { name: "accommodation", dir: "accommodation", port: 7102, database: true, public: true },
  // Public: the gateway routes GET /api/v1/payments/{id} and /api/v1/reservations/{id}/payments;
  // the money-moving RPCs have no REST route and answer only the reservation service.
  { name: "payment", dir: "payment", port: 7103, database: true, public: true },
  { name: "reservation", dir: "reservation", port: 7104, database: true, public: true },
  { name: "review", dir: "review", port: 7105, database: true, public: true },
];

/** The gateway: started once every service is ready, routing to the public ones. */
export const GATEWAY: ServiceSpec = { name: "gateway", dir: "gateway", port: 8080, database: false, public: false };

/** The per-service database URL variable an operator sets to use an external server. */
export const databaseUrlVariable = (name: string) => `DATABASE_URL_${name.toUpperCase()}`;

/** Services that may run as several processes: those every caller reaches through a balanced client. */
export const REPLICABLE = new Set(["accommodation", "payment", "reservation", "review"]);

/** Where instance `k` (0 first) of a service listens: its port, then +10 for each further one. */
export const replicaPort = (svc: ServiceSpec, k: number) => svc.port + 10 * k;

/**
 * `accommodation=2,review=3` (DEVSTACK_REPLICAS or `npm start -- --replicas ...`): how many
 * processes of each service to run; one of any not named. Throws on a service that cannot be
 * replicated or a count outside 1-5.
 */
export function parseReplicas(spec: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of spec.split(",").map((e) => e.trim()).filter(Boolean)) {
    const [name, raw] = entry.split("=").map((x) => x.trim());
    const count = Number(raw);
    if (!name || !REPLICABLE.has(name) || !Number.isInteger(count) || count < 1 || count > 5) {
      throw new Error(`replicas: "${entry}" must be <service>=<1-5> with service one of ${[...REPLICABLE].join(", ")}`);
    }
    counts.set(name, count);
  }
  return counts;
}
