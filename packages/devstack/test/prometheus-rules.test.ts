// The alerting files in infra/prometheus/ checked by the tools that load them: promtool checks
// the rules and the Prometheus config and runs the rules' unit tests, amtool checks the
// Alertmanager config; and every alert has a unit test in which it fires.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./running-devstack.js";

const run = promisify(execFile);
const DIR = join(ROOT, "infra", "prometheus");

/** Absolute path of `name` on PATH, or undefined. */
async function which(name: string): Promise<string | undefined> {
  return run("sh", ["-c", `command -v ${name}`]).then(
    (r) => r.stdout.trim() || undefined,
    () => undefined,
  );
}

const promtool = await which("promtool");
const amtool = await which("amtool");
const missing = [promtool ? undefined : "promtool (Debian package prometheus)", amtool ? undefined : "amtool (Debian package prometheus-alertmanager)"].filter(Boolean);
// CI installs both (.ci/run): there a missing tool fails the run below. A developer without them
// is told what to install instead of failing on their machine.
const skipHere = missing.length > 0 && process.env.CI !== "true";

const yamlIn = async (dir: string) => (await readdir(join(DIR, dir))).filter((f) => f.endsWith(".yaml")).map((f) => join(DIR, dir, f));

/** Runs a tool; resolves to its output, rejects with its output when it exits non-zero. */
async function tool(bin: string | undefined, args: string[]): Promise<string> {
  if (!bin) throw new Error(`not installed: ${missing.join(", ")}; CI installs them in .ci/run (apt-get)`);
  try {
    const r = await run(bin, args, { cwd: DIR });
    return r.stdout + r.stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? err.message}`);
  }
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}
interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

describe.skipIf(skipHere)(`Prometheus alerting files${skipHere ? ` (not installed here: ${missing.join(", ")})` : ""}`, () => {
  it("has rules promtool accepts", async () => {
    expect(await tool(promtool, ["check", "rules", ...(await yamlIn("rules"))])).toMatch(/SUCCESS/);
  });

  it("passes every rules unit test", async () => {
    expect(await tool(promtool, ["test", "rules", ...(await yamlIn("tests"))])).toMatch(/SUCCESS/);
  });

  it("has a Prometheus config promtool accepts, loading every rules file", async () => {
    const out = await tool(promtool, ["check", "config", "prometheus.yml"]);
    expect(out).toMatch(/is valid prometheus config/);
    expect(out).toContain(`${(await yamlIn("rules")).length} rule files found`);
  });

  it("has an Alertmanager config amtool accepts, with a receiver for every severity the rules use", async () => {
    expect(await tool(amtool, ["check-config", "alertmanager.yml"])).toMatch(/SUCCESS/);
    const config = parse(await readFile(join(DIR, "alertmanager.yml"), "utf8")) as { route: { routes: { receiver: string; matchers: string[] }[] } };
    const routed = config.route.routes.flatMap((r) => r.matchers);
    const rules = await Promise.all((await yamlIn("rules")).map(async (f) => parse(await readFile(f, "utf8")) as RuleFile));
    const severities = new Set(rules.flatMap((f) => f.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [(r as { labels?: { severity?: string } }).labels?.severity] : [])))));
    for (const severity of severities) expect(routed).toContain(`severity="${severity}"`);
  });
});

describe("Prometheus alert rules", () => {
  it("each fire in at least one unit test", async () => {
    const rules = await Promise.all((await yamlIn("rules")).map(async (f) => parse(await readFile(f, "utf8")) as RuleFile));
    const alerts = rules.flatMap((f) => f.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))));
    const tests = await Promise.all((await yamlIn("tests")).map(async (f) => parse(await readFile(f, "utf8")) as RuleTestFile));
    const firing = new Set(tests.flatMap((t) => t.tests.flatMap((c) => (c.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname))));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.filter((a) => !firing.has(a))).toEqual([]);
  });
});
