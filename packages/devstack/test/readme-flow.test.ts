// Starts a whole devstack (in its own data dir and ports, beside any a developer runs) and runs
// the README's "Try it" curl commands against it, so the README cannot drift from the product.
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type MetricsPage, scrapeMetrics } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATEWAY, SERVICES } from "../src/services.js";
import { dashboardMetricNames, familyOf, metricNamesIn, ruleMetricNames } from "./rule-metrics.js";
import { ROOT as root, type RunningDevstack, startDevstack } from "./running-devstack.js";

const run = promisify(execFile);
let stack: RunningDevstack;
let offset: number;
let gatewayUrl: string;
let dataDir: string;
let output = "";

/** The shell commands in the README's "Try it" section, with the ports of this devstack. */
async function readmeCommands(): Promise<string[]> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const section = readme.split("## Try it")[1]?.split("\n## ")[0] ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.map((b) => b.replace(/127\.0\.0\.1:(\d+)/g, (_m, port: string) => `127.0.0.1:${Number(port) + offset}`));
}

beforeAll(async () => {
  stack = await startDevstack();
  ({ offset, gatewayUrl, dataDir } = stack);
  output = stack.output();
}, 180_000);

afterAll(() => stack?.stop(), 30_000);

describe("the README against a running devstack", () => {
  it("runs every command of 'Try it' successfully", async () => {
    const commands = await readmeCommands();
    expect(commands.length).toBeGreaterThan(0);
    // One shell, as a reader pastes them: later blocks use what earlier ones set ($TOKEN, $IN).
    const done = await run("bash", ["-euo", "pipefail", "-c", commands.join("\n")], {
      cwd: root,
      env: { ...process.env, DEVSTACK_DATA_DIR: dataDir },
    });
    const output = done.stdout;
    const errors = done.stderr;
    // What the README promises: the profile with the token, 401 without it, field violations
    // for bad input, a token over gRPC, and a healthy service.
    expect(output).toMatch(/"email":\s*"ana@example.com"/);
    expect(output).toMatch(/\b401\n/);
    expect(output).toContain('"@type":"type.googleapis.com/google.rpc.BadRequest"');
    expect(output).toMatch(/"accessToken":/);
    expect(output).toMatch(/"status":\s*"SERVING"/);
    // The journey ends with the demo guest's review, public on its property with its statistics.
    expect(output).toMatch(/"authorDisplayName":"Demo Guest"/);
    expect(output).toMatch(/"ratingSummary":\{"average":[\d.]+,"count":[1-9]/);
    expect(output).toMatch(/"results":\[\{"accommodation":/);
    expect(output).not.toMatch(/"code":\s*(13|14|"internal"|"unavailable")/);
    // The booking journey: confirmed and captured, watched, cancelled and refunded, and a
    // declined card that ends FAILED.
    expect(output).toMatch(/\{"result":\{"reservation":\{[^\n]*"status":"RESERVATION_STATUS_CONFIRMED"/);
    expect(output).toContain('"status":"PAYMENT_STATUS_CAPTURED"');
    expect(output).toContain('"type":"triphub.reservation.v1.ReservationConfirmed"');
    expect(output).toContain('"status":"RESERVATION_STATUS_CANCELLED"');
    expect(output).toMatch(/"status":"PAYMENT_STATUS_(PARTIALLY_)?REFUNDED"|"refundStatus":"REFUND_STATUS_NOT_REQUIRED"/);
    expect(output).toContain('"failureReason":"FAILURE_REASON_PAYMENT_DECLINED"');
    // An internal RPC refuses a caller without a service identity and answers the one it lists.
    expect(errors).toMatch(/"code":\s*"permission_denied"/);
    expect(errors).toMatch(/"code":\s*"not_found"/);
  });

  it("serves the API docs and the OpenAPI document", async () => {
    expect((await fetch(`${gatewayUrl}/docs`)).status).toBe(200);
    const spec = (await (await fetch(`${gatewayUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain("/api/v1/users/me");
    // payment is public: its read routes are in the API, its money-moving RPCs are not.
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/v1/payments/{payment_id}", "/api/v1/reservations/{reservation_id}/payments"]));
  });

  it("routes the payment and reservation reads through the gateway, which asks for a sign-in", async () => {
    const res = await fetch(`${gatewayUrl}/api/v1/payments/0a8f4c1e-0000-4000-8000-000000000001`);
    expect(res.status).toBe(401);
    expect((await fetch(`${gatewayUrl}/api/v1/reservations`)).status).toBe(401);
  });

  it("seeds the demo history: the demo guest signs in with the generated password and sees completed stays", async () => {
    expect(output).toMatch(/▸ demo users: created 150 reviewers and the demo guest; sign in as guest@demo\.triphub\.test/);
    expect(output).toMatch(/▸ demo stays: wrote \d+ completed stays, 3 new for the demo guest/);
    const file = join(dataDir, "secrets", "demo-guest-password");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, "utf8")).trim();
    // Never printed: neither by the devstack nor in a log.
    expect(output).not.toContain(password);
    for (const log of await readdir(join(dataDir, "logs"))) expect(await readFile(join(dataDir, "logs", log), "utf8")).not.toContain(password);
    const login = await fetch(`${gatewayUrl}/api/v1/auth:login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "guest@demo.triphub.test", password }),
    });
    expect(login.status).toBe(200);
    const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
    const res = await fetch(`${gatewayUrl}/api/v1/reservations?pageSize=50`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(res.status).toBe(200);
    const { reservations } = (await res.json()) as { reservations: { status: string; checkOut: string }[] };
    const completed = reservations.filter((r) => r.status === "RESERVATION_STATUS_COMPLETED");
    expect(completed).toHaveLength(3);
  });

  // After the journey above: what it did shows on the processes' /metrics pages.
  it("serves /metrics on every process: the journey's RPCs, saga, holds and payments, every metric the alert rules and dashboards read, and no id in a label", async () => {
    const pages = new Map<string, MetricsPage>();
    for (const svc of [...SERVICES, GATEWAY]) pages.set(svc.name, await scrapeMetrics(`http://127.0.0.1:${svc.port + offset}`));
    const page = (name: string) => pages.get(name)!;
    const reservation = { service: "triphub.reservation.v1.ReservationService", method: "CreateReservation" };
    expect(page("reservation").sum("triphub_rpc_server_requests_total", { ...reservation, code: "OK" })).toBeGreaterThan(0);
    expect(page("reservation").sum("triphub_rpc_server_duration_seconds_count", reservation)).toBeGreaterThan(0);
    expect(page("accommodation").sum("triphub_rpc_server_requests_total", { method: "HoldInventory", code: "OK" })).toBeGreaterThan(0);
    expect(page("reservation").sum("triphub_saga_steps_total", { step: "hold", kind: "forward", outcome: "done" })).toBeGreaterThan(0);
    // The declined card released its hold: a compensation.
    expect(page("reservation").sum("triphub_saga_steps_total", { step: "release", kind: "compensation", outcome: "done" })).toBeGreaterThan(0);
    expect(page("accommodation").sum("triphub_holds_created_total")).toBeGreaterThan(0);
    expect(page("accommodation").sum("triphub_cache_requests_total", { cache: "accommodation" })).toBeGreaterThan(0);
    expect(page("payment").sum("triphub_payment_provider_requests_total", { operation: "authorize", outcome: "approved" })).toBeGreaterThan(0);
    expect(page("payment").sum("triphub_payment_provider_requests_total", { operation: "authorize", outcome: "declined" })).toBeGreaterThan(0);
    expect(page("gateway").sum("triphub_gateway_requests_total", { route: "/api/v1/reservations", method: "POST", status_class: "2xx" })).toBeGreaterThan(0);
    expect(page("reservation").sum("triphub_db_pool_max_connections", { pool: "reservation" })).toBeGreaterThan(0);
    expect(page("gateway").types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");

    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const idLabels = [...pages].flatMap(([svc, p]) => p.samples.flatMap((s) => Object.values(s.labels).filter((v) => uuid.test(v)).map((v) => `${svc}: ${s.name} ${v}`)));
    expect(idLabels).toEqual([]);

    const used = await ruleMetricNames();
    expect(used.size).toBeGreaterThan(10);
    const charted = await dashboardMetricNames();
    expect(charted.size).toBeGreaterThan(20);
    const exported = (name: string) => [...pages.values()].some((p) => familyOf(name, p.types) !== undefined);
    expect([...used].filter(([name]) => !exported(name))).toEqual([]);
    expect([...charted].filter(([name]) => !exported(name))).toEqual([]);
  });

  it("reads the metric names out of PromQL, not its labels, functions or recording rules", () => {
    expect(
      metricNamesIn('histogram_quantile(0.99, sum by (feed, le) (rate(a_bucket{feed="x",le="1"}[10m]))) > 30 and on (feed) b_total - time() < 2 * 86400 or job:c:rate5m'),
    ).toEqual(["a_bucket", "b_total"]);
  });

  it("stops every process on Ctrl-C", async () => {
    stack.process.kill("SIGINT");
    const code = await new Promise((r) => stack.process.once("exit", r));
    expect(code).toBe(0);
    await expect(fetch(`${gatewayUrl}/healthz`)).rejects.toThrow();
  });
});
