/** One sample of a Prometheus text exposition. */
export interface MetricSample {
  /** The series name as written, e.g. `triphub_rpc_server_duration_seconds_count`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed /metrics page: its samples, and the metric families its TYPE lines declare. */
export interface MetricsPage {
  samples: MetricSample[];
  /** Family name -> type ("counter", "gauge", "histogram", ...). */
  types: Map<string, string>;
  /** The sum of the samples of `name` whose labels include `labels` (0 when none match). */
  sum(name: string, labels?: Record<string, string>): number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescapeLabel = (v: string) => v.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));

/** Parses Prometheus's text format (0.0.4); throws on a line it cannot read. */
export function parseMetrics(text: string): MetricsPage {
  const samples: MetricSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const t = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (t) types.set(t[1], t[2]);
      continue;
    }
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels[l[1]] = unescapeLabel(l[2]);
    const value = m[3] === "+Inf" ? Number.POSITIVE_INFINITY : m[3] === "-Inf" ? Number.NEGATIVE_INFINITY : Number(m[3]);
    samples.push({ name: m[1], labels, value });
  }
  return {
    samples,
    types,
    sum: (name, labels = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((total, s) => total + s.value, 0),
  };
}

/** GETs `<baseUrl>/metrics` (HTTP/1.1) and parses it; throws unless it answers 200. */
export async function scrapeMetrics(baseUrl: string, init?: RequestInit): Promise<MetricsPage> {
  const res = await fetch(`${baseUrl}/metrics`, init);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}
