// `DEVSTACK_TLS=1 npm start`, in its own data dir and ports: HTTPS at the gateway with the
// generated CA, mTLS on every service port, and the certificates kept for the next start.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClientFetch } from "@triphub/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const run = promisify(execFile);
// Every port below 32768, where the kernel picks no outgoing connection's port.
const offset = 10_000 + Math.floor(Math.random() * 7_000);
const gatewayUrl = `https://127.0.0.1:${8080 + offset}`;
const authPort = 7101 + offset;
let dataDir: string;
let devstack: ChildProcess | undefined;
let output = "";

/** Starts the devstack on TLS and resolves with its output once it is up. */
async function startStack(): Promise<string> {
  let out = "";
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", "packages/devstack/src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DEVSTACK_TLS: "1",
      DEVSTACK_DATA_DIR: dataDir,
      DEVSTACK_PORT_OFFSET: String(offset),
      DEVSTACK_POSTGRES_PORT: String(offset + 5432),
      // No demo data: the search needs no results to prove the path, and seeding is most of a start.
      DEVSTACK_SEED_PROPERTIES: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  devstack = child;
  child.stdout?.on("data", (c: Buffer) => (out += c));
  child.stderr?.on("data", (c: Buffer) => (out += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devstack not up in 90 s:\n${out}`)), 90_000);
    child.stdout?.on("data", () => {
      if (out.includes("Ctrl-C stops everything")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`devstack exited (${code}):\n${out}`)));
  });
  return out;
}

async function stopStack(): Promise<void> {
  const child = devstack;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  await new Promise((r) => child.once("exit", r));
}

const tls = (file: string) => readFile(join(dataDir, "tls", file));

/** The shell commands of the README's "Encryption: TLS, and personal data at rest", with this devstack's ports and data dir. */
async function readmeCommands(): Promise<string> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const section = readme.split("## Encryption: TLS, and personal data at rest")[1]?.split("\n## ")[0] ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .join("\n")
    .replace(/127\.0\.0\.1:(\d+)/g, (_m, port: string) => `127.0.0.1:${Number(port) + offset}`)
    .replaceAll(".data/", `${dataDir}/`);
}

/** curl as the README says, trusting only the generated CA. */
async function curl(path: string, ...args: string[]): Promise<string> {
  const done = await run("curl", ["-sS", "--fail-with-body", "--cacert", join(dataDir, "tls", "ca.crt"), `${gatewayUrl}${path}`, ...args]);
  return done.stdout;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "triphub-devstack-tls-"));
  output = await startStack();
}, 120_000);

afterAll(async () => {
  await stopStack();
  await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe("the devstack on TLS", () => {
  it("serves the API over HTTPS with a certificate of the generated CA: sign up, log in, search", async () => {
    expect(output).toContain(`REST API   ${gatewayUrl}/api/v1/`);
    // The README's commands sign up tls@example.com and reach a service port with a certificate.
    const readme = await run("bash", ["-euo", "pipefail", "-c", await readmeCommands()], { cwd: root });
    expect(readme.stdout).toContain('"email":"tls@example.com"');
    expect(readme.stdout).toContain('"status":"ok"');
    const json = ["-H", "content-type: application/json"];
    const login = JSON.parse(await curl("/api/v1/auth:login", ...json, "-d", '{"email":"tls@example.com","password":"correct horse battery"}')) as {
      tokens: { accessToken: string };
    };
    // Behind the gateway: auth over mTLS, and the user's token checked against auth's JWKS over mTLS.
    const me = await curl("/api/v1/users/me", "-H", `authorization: Bearer ${login.tokens.accessToken}`);
    expect(me).toContain('"email":"tls@example.com"');
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const found = JSON.parse(await curl(`/api/v1/accommodations:search?destination=Seoul&checkIn=${day(14)}&checkOut=${day(16)}&adults=2&pageSize=3`)) as {
      results?: unknown[];
    };
    expect(Array.isArray(found.results ?? [])).toBe(true);
    const headers = await curl("/healthz", "-o", "/dev/null", "-D", "-");
    expect(headers.toLowerCase()).toContain("strict-transport-security: max-age=31536000");
  });

  it("serves every service port only over TLS, and only to clients with a certificate of its CA", async () => {
    const service = `127.0.0.1:${authPort}`;
    // Plain HTTP gets no answer.
    await expect(fetch(`http://${service}/healthz`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    // TLS without a client certificate: the handshake (or the first request) is refused.
    const anonymous = createClientFetch({ ca: await tls("ca.crt") });
    await expect(anonymous(`https://${service}/healthz`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    // The devstack's own certificate is let in.
    const probe = createClientFetch({ ca: await tls("ca.crt"), cert: await tls("devstack.crt"), key: await tls("devstack.key") });
    expect((await probe(`https://${service}/healthz`)).status).toBe(200);
  });

  it("reuses its CA and certificates on the next start", async () => {
    expect(output).toMatch(/▸ TLS: .*\(issued ca, auth, /);
    const before = await Promise.all(["ca.crt", "auth.crt", "gateway.crt"].map(tls));
    await stopStack();
    const again = await startStack();
    expect(again).toMatch(/▸ TLS: .*\(reused\)/);
    expect(await Promise.all(["ca.crt", "auth.crt", "gateway.crt"].map(tls))).toEqual(before);
    expect(await curl("/readyz", "-o", "/dev/null", "-w", "%{http_code}")).toBe("200");
  }, 120_000);
});
