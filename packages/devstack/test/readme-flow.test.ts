// Starts a whole devstack (in its own data dir and ports, beside any a developer runs) and runs
// the README's "Try it" curl commands against it, so the README cannot drift from the product.
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
}, 90_000);

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

  it("stops every process on Ctrl-C", async () => {
    stack.process.kill("SIGINT");
    const code = await new Promise((r) => stack.process.once("exit", r));
    expect(code).toBe(0);
    await expect(fetch(`${gatewayUrl}/healthz`)).rejects.toThrow();
  });
});
