// The metric names the alert rules in infra/prometheus/rules/ and the dashboards in
// infra/grafana/dashboards/ read, so a test can check that the services export every one of them.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./running-devstack.js";

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/**
 * The series names a PromQL expression selects: label matchers, grouping lists, strings and
 * durations are removed, then every identifier left that is not a function call, keyword or
 * recording rule (those have a colon) is a metric name.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || name.includes(":") || KEYWORDS.has(name.toLowerCase()) || /^\d/.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** Every metric name the rules files read, with the alerts or records that read it. */
export async function ruleMetricNames(): Promise<Map<string, string[]>> {
  const dir = join(ROOT, "infra", "prometheus", "rules");
  const used = new Map<string, string[]>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yaml"))) {
    const doc = parse(await readFile(join(dir, file), "utf8")) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
    for (const rule of doc.groups.flatMap((g) => g.rules)) {
      for (const name of metricNamesIn(rule.expr)) used.set(name, [...(used.get(name) ?? []), rule.alert ?? rule.record ?? "?"]);
    }
  }
  return used;
}

/** Every metric name the Grafana dashboards in infra/grafana/dashboards/ query, with the panels that do. */
export async function dashboardMetricNames(): Promise<Map<string, string[]>> {
  const dir = join(ROOT, "infra", "grafana", "dashboards");
  const used = new Map<string, string[]>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(await readFile(join(dir, file), "utf8")) as { panels: { title: string; targets: { expr: string }[] }[] };
    for (const panel of doc.panels) {
      for (const name of panel.targets.flatMap((t) => metricNamesIn(t.expr))) used.set(name, [...(used.get(name) ?? []), `${file}: ${panel.title}`]);
    }
  }
  return used;
}

/** The family a series name belongs to on a page declaring `types` (`x_bucket` -> `x` for a histogram). */
export function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|count|sum)$/, "");
  return types.get(base) === "histogram" || types.get(base) === "summary" ? base : undefined;
}
