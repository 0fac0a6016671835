import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's metrics, served at /metrics by every chassis-built service. One registry per
 * process: a process runs one service in production (tests may host several in one process,
 * whose metrics then share the page; RPC metrics tell them apart by their `service` label).
 */
export const metricsRegistry = new Registry();

// process_* (CPU, memory, open fds) and nodejs_* (event-loop lag, GC, heap): standard names, so
// the usual dashboards and rules work on them as they are.
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });

/** What a metric is: its name (snake_case, `triphub_` prefix, unit suffix), help text and label names. */
export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  /** Only labels with few possible values (never ids, paths or user input). */
  labelNames?: readonly L[];
}

/** Latency buckets in seconds: fine below 100 ms, where RPCs live, and the SLO's 500 ms is one. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// A metric is made once per process whatever builds it: a service built twice in one process
// (tests, two instances) shares the first one's.
function once<M>(name: string, kind: abstract new (...args: never[]) => M, make: () => M): M {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing === undefined) return make();
  if (!(existing instanceof kind)) throw new Error(`metric ${name} is already registered as another kind`);
  return existing;
}

/** A counter in the process registry (created on first use; later calls with the name return it). */
export function metricCounter<L extends string>(spec: MetricSpec<L>): Counter<L> {
  return once(spec.name, Counter<L>, () => new Counter<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [metricsRegistry] }));
}

/** A histogram in the process registry; `buckets` default to {@link LATENCY_BUCKETS}. */
export function metricHistogram<L extends string>(spec: MetricSpec<L> & { buckets?: number[] }): Histogram<L> {
  return once(spec.name, Histogram<L>, () =>
    new Histogram<L>({ ...spec, labelNames: spec.labelNames ?? [], buckets: spec.buckets ?? LATENCY_BUCKETS, registers: [metricsRegistry] }),
  );
}

/** A gauge in the process registry that the code sets itself. */
export function metricGauge<L extends string>(spec: MetricSpec<L>): Gauge<L> {
  return once(spec.name, Gauge<L>, () => new Gauge<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [metricsRegistry] }));
}

/** One value of a gauge read at scrape time. */
export interface GaugeSample<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

/** Reads a gauge's current values when scraped; a failure leaves its samples out of that scrape. */
export type GaugeSource<L extends string> = () => Promise<GaugeSample<L>[]> | GaugeSample<L>[];

const sources = new Map<string, Set<GaugeSource<string>>>();

/**
 * A gauge whose values are read when /metrics is scraped, from every source registered under
 * its name (several when a process hosts several instances): their samples of one label set
 * are summed, or the largest kept (`aggregate: "max"`, for ages). Returns what unregisters the
 * source (call it on close, so a closed pool or consumer stops being reported).
 */
export function observeGauge<L extends string>(
  spec: MetricSpec<L> & { aggregate?: "sum" | "max" },
  source: GaugeSource<L>,
): () => void {
  let set = sources.get(spec.name);
  if (!set) {
    const mine = new Set<GaugeSource<string>>();
    set = mine;
    sources.set(spec.name, mine);
    const max = spec.aggregate === "max";
    once(spec.name, Gauge<L>, () => {
      const gauge: Gauge<L> = new Gauge<L>({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames ?? [],
        registers: [metricsRegistry],
        async collect() {
          const read = await Promise.allSettled([...mine].map(async (s) => s()));
          const totals = new Map<string, { labels: Partial<Record<L, string>>; value: number }>();
          for (const r of read) {
            if (r.status !== "fulfilled") continue;
            for (const sample of r.value as GaugeSample<L>[]) {
              const labels = sample.labels ?? {};
              const key = JSON.stringify(Object.entries(labels).sort());
              const had = totals.get(key);
              const value = had === undefined ? sample.value : max ? Math.max(had.value, sample.value) : had.value + sample.value;
              totals.set(key, { labels, value });
            }
          }
          gauge.reset();
          for (const { labels, value } of totals.values()) gauge.set(labels, value);
        },
      });
      return gauge;
    });
  }
  const entry = source as GaugeSource<string>;
  set.add(entry);
  return () => set.delete(entry);
}
