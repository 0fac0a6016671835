/** One benchmark of `npm run bench <name>`: what it is for, and its module (which runs it on import). */
export interface Benchmark {
  /** What it measures, in a line (`npm run bench` lists it). */
  measures: string;
  /** The target its figures are held to in BENCHMARKS.md. */
  goal: string;
  load(): Promise<unknown>;
}

/** Every benchmark, by name. */
export const benchmarks: Record<string, Benchmark> = {
  "chassis-overhead": {
    measures: "auth GetMe served by the chassis vs. a bare connect-fastify server (gRPC and Connect JSON)",
    goal: "chassis ≥ 0.9× bare req/s",
    load: () => import("./chassis-overhead.js"),
  },
  "gateway-overhead": {
    measures: "an authenticated GET through the gateway vs. the same RPC called directly on auth",
    goal: "gateway ≥ 0.8× direct req/s",
    load: () => import("./gateway-overhead.js"),
  },
  "accommodation-search": {
    measures: "guest search through gateway, accommodation and PostgreSQL at 100,000 properties, fixed rates (heavy: ~10 min, catalogue load ~4 min once)",
    goal: "p99 < 25 ms at 500 req/s",
    load: () => import("./accommodation-search.js"),
  },
  booking: {
    measures: "bookings end to end through the gateway (saga: hold, authorize, confirm, capture) on many room types, and on one",
    goal: "≥ 300 confirmed bookings/s; one room type never oversold",
    load: () => import("./booking.js"),
  },
  "devstack-footprint": {
    measures: "`npm start`: cold and warm start to ready, resident memory of the whole platform",
    goal: "cold < 30 s, warm < 10 s, < 1 GiB",
    load: () => import("./devstack-footprint.js"),
  },
};
