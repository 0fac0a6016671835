// Benchmark: what the chassis costs. The real auth GetMe handler (a primary-key read) served by
// the chassis (validation, access log, auth context from the JWT, health, error mapping) vs. by
// a bare connect-fastify server, over gRPC (HTTP/2) and Connect JSON (HTTP/1.1).
import { randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { authDatabase } from "./bench-database.js";
import { testSealingKeys } from "@triphub/testkit";
import { startServerProcess } from "./child.js";
import { autocannonRun, closedLoop, type LoadResult } from "./load.js";
import { efficiency, machine, publish, table } from "./report.js";

type Urls = { grpc: string; json: string };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

// Both auth processes open the signing keys the first one sealed in the shared database.
process.env.AUTH_KEY_ENCRYPTION_KEY ??= randomBytes(32).toString("base64url");
// And the keys sealing users' email and phone.
const sealingKeys = testSealingKeys();
process.env.DATA_KEKS ??= sealingKeys.DATA_KEKS;
process.env.BLIND_INDEX_KEY ??= sealingKeys.BLIND_INDEX_KEY;
const db = await authDatabase("bench_auth");
const dbUrl = db.url;

const chassis = await startServerProcess<Urls>("serve-auth.ts", ["chassis", dbUrl]);
const signup = await createClient(AuthService, createGrpcTransport({ baseUrl: chassis.info.grpc })).signUp({
  email: "bench@example.com",
  password: "benchmark password",
  displayName: "Bench",
});
const token = signup.tokens!.accessToken;
const bare = await startServerProcess<Urls>("serve-auth.ts", ["bare", dbUrl, signup.user!.userId]);
const headers = { authorization: `Bearer ${token}` };

function grpcLoad(url: string, seconds: number) {
  const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
  return closedLoop(() => client.getMe({}, { headers }), { concurrency: CONCURRENCY, seconds });
}
function jsonLoad(url: string, seconds: number) {
  const target = {
    url: `${url}/triphub.auth.v1.AuthService/GetMe`,
    method: "POST" as const,
    body: "{}",
    headers: { "content-type": "application/json", ...headers },
  };
  return autocannonRun(target, { concurrency: CONCURRENCY, seconds });
}

function mean(results: LoadResult[]): LoadResult {
  const avg = (k: keyof LoadResult) => results.reduce((s, r) => s + (r[k] ?? 0), 0) / results.length;
  return {
    requests: avg("requests"),
    errors: avg("errors"),
    rps: avg("rps"),
    p50: avg("p50"),
    p99: avg("p99"),
    cpuUsPerRequest: avg("cpuUsPerRequest"),
  };
}

const ONLY = process.env.BENCH_PROTOCOL; // "grpc" or "json" to run one of them
const protocols = (
  [
    ["gRPC (h2c)", grpcLoad],
    ["Connect JSON (HTTP/1.1)", jsonLoad],
  ] as const
).filter(([name]) => !ONLY || name.toLowerCase().includes(ONLY));
const rows: { protocol: string; server: string; r: LoadResult }[] = [];
for (const [protocol, load] of protocols) {
  const targets = [
    ["bare connect-fastify", bare.info, bare],
    ["chassis", chassis.info, chassis],
  ] as const;
  const runs = new Map<string, LoadResult[]>();
  for (const [, urls] of targets) await load(protocol.startsWith("gRPC") ? urls.grpc : urls.json, 2); // warm-up
  // Alternate the targets so drift in the machine's state hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, urls, server] of targets) {
      const cpuBefore = server.cpuMs();
      const r = await load(protocol.startsWith("gRPC") ? urls.grpc : urls.json, SECONDS);
      r.cpuUsPerRequest = ((server.cpuMs() - cpuBefore) * 1000) / r.requests;
      runs.set(name, [...(runs.get(name) ?? []), r]);
    }
  }
  for (const [name] of targets) rows.push({ protocol, server: name, r: mean(runs.get(name)!) });
}

await Promise.all([chassis.stop(), bare.stop()]);
await db.stop();

const report = [`## Chassis overhead: auth GetMe, ${CONCURRENCY} concurrent callers, ${ROUNDS}×${SECONDS}s per cell`, machine(), table(rows)];
// Per protocol: the chassis's req/s and CPU efficiency relative to the bare server.
const figure = protocols
  .map(([protocol]) => {
    const [bareRow, chassisRow] = rows.filter((r) => r.protocol === protocol);
    return `${protocol.replace(/ \(.*\)$/, "")} ${(chassisRow!.r.rps / bareRow!.r.rps).toFixed(2)}× req/s, ${efficiency(bareRow!.r, chassisRow!.r).toFixed(2)}× CPU efficiency`;
  })
  .join("; ");
publish("chassis-overhead", report.join("\n\n"), `chassis vs. bare: ${figure}`);
