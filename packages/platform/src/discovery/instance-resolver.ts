/**
 * One running copy of a service that clients may call: its id (stable for the life of the
 * process) and the base URL its Connect/gRPC port answers on.
 */
export interface ServiceInstance {
  readonly id: string;
  readonly url: string;
  readonly zone?: string;
  readonly version?: string;
}

/**
 * Where clients learn which instances of a service exist. The balancer asks only this, so the
 * same client code runs on fixed addresses (`staticResolver`), on TripHub's registry
 * (`WatchInstances`), or on a cluster's DNS / Endpoints, where the registry is not needed.
 */
export interface InstanceResolver {
  /**
   * Calls `onChange` with the current instances of `service` (soon after subscribing, then on
   * every change) until the returned function is called. When the source is unreachable the
   * resolver keeps the last list it knew rather than reporting none.
   */
  watch(service: string, onChange: (instances: readonly ServiceInstance[]) => void): () => void;
  /** Stops every watch and releases connections. */
  close(): Promise<void>;
}

/**
 * Fixed addresses: `{ accommodation: ["http://127.0.0.1:7102", "http://127.0.0.1:7112"] }`.
 * Instance ids are the URLs. What a service with `ACCOMMODATION_URL=a,b` or a cluster Service
 * name needs.
 */
export function staticResolver(addresses: Readonly<Record<string, readonly string[]>>): InstanceResolver {
  return {
    watch(service, onChange) {
      const instances = (addresses[service] ?? []).map((url) => ({ id: url, url }));
      let live = true;
      queueMicrotask(() => {
        if (live) onChange(instances);
      });
      return () => {
        live = false;
      };
    },
    async close() {},
  };
}
