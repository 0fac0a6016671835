// The Grafana dashboards: committed as generated, well-formed, and one per deployed service.
// That every metric a panel reads is exported is checked against real /metrics pages in
// packages/devstack/test/readme-flow.test.ts.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Dashboard, dashboards, exprsOf } from "../src/grafana-dashboards.js";
import { SERVICES } from "./services.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DIR = `${ROOT}infra/grafana/dashboards/`;
const made = dashboards();

/** What is wrong with a dashboard's layout and targets; empty when nothing. */
function problems(d: Dashboard): string[] {
  const out: string[] = [];
  const ids = d.panels.map((p) => p.id);
  if (new Set(ids).size !== ids.length) out.push("duplicate panel ids");
  const cells = new Set<string>();
  for (const p of d.panels) {
    const { x, y, w, h } = p.gridPos;
    if (x < 0 || w < 1 || x + w > 24 || h < 1) out.push(`${p.title}: outside the 24-column grid`);
    for (let i = x; i < x + w; i++) {
      for (let j = y; j < y + h; j++) {
        if (cells.has(`${i},${j}`)) out.push(`${p.title}: overlaps another panel`);
        cells.add(`${i},${j}`);
      }
    }
    if (p.targets.length === 0) out.push(`${p.title}: no query`);
    if (p.datasource.uid !== "prometheus") out.push(`${p.title}: not the provisioned Prometheus`);
    for (const t of p.targets) {
      // Balanced brackets: a cheap guard against a query Prometheus would refuse.
      let depth = 0;
      for (const c of t.expr.replace(/"(?:[^"\\]|\\.)*"/g, "")) {
        depth += "({[".includes(c) ? 1 : ")}]".includes(c) ? -1 : 0;
        if (depth < 0) break;
      }
      if (depth !== 0) out.push(`${p.title}: unbalanced brackets in ${t.expr}`);
    }
  }
  return [...new Set(out)];
}

describe("Grafana dashboards", () => {
  it("are committed exactly as grafana-dashboards.ts makes them (pnpm --filter @triphub/infra-check dashboards)", async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(Object.keys(made).sort());
    for (const f of files) expect(JSON.parse(await readFile(`${DIR}${f}`, "utf8")), f).toEqual(made[f]);
  });

  it("have an overview, the booking funnel and one per deployed service", () => {
    const names = SERVICES.map((s) => `${s.name}.json`);
    expect(Object.keys(made)).toEqual(expect.arrayContaining(["overview.json", "booking-funnel.json", ...names]));
    expect(new Set(Object.values(made).map((d) => d.uid)).size).toBe(Object.keys(made).length);
  });

  it("lay out panels on the grid without overlaps, each with a balanced Prometheus query", () => {
    for (const [file, d] of Object.entries(made)) expect(problems(d), file).toEqual([]);
    expect(Object.values(made).flatMap(exprsOf).length).toBeGreaterThan(40);
  });

  it("catch a broken dashboard", () => {
    const broken = structuredClone(made["overview.json"]!);
    broken.panels[1]!.gridPos = { ...broken.panels[0]!.gridPos };
    broken.panels[2]!.targets[0]!.expr = "sum(rate(x[5m])";
    broken.panels[3]!.id = broken.panels[4]!.id;
    expect(problems(broken)).toEqual(expect.arrayContaining(["duplicate panel ids", expect.stringMatching(/overlaps/), expect.stringMatching(/unbalanced/)]));
  });

  it("are provisioned from the folder compose mounts", async () => {
    const provider = parse(await readFile(`${ROOT}infra/grafana/dashboards.yaml`, "utf8")) as { providers: { options: { path: string } }[] };
    const compose = await readFile(`${ROOT}compose.yaml`, "utf8");
    expect(compose).toContain(`./infra/grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
  });
});
