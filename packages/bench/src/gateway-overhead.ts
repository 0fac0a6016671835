// Benchmark: what the gateway costs. An authenticated GET /api/v1/users/me through the gateway
// (JWT check at the edge, REST->gRPC transcoding, auth's own checks and a PostgreSQL read) vs.
// the same RPC called directly on auth with Connect JSON vs. a bare Fastify route returning the
// same bytes. All over HTTP/1.1 with autocannon; each server in its own process.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { authDatabase } from "./bench-database.js";
import { startServerProcess } from "./child.js";
import { autocannonRun, type HttpTarget, type LoadResult } from "./load.js";
import { machine, publish, table } from "./report.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const db = await authDatabase("bench_gateway");
const auth = await startServerProcess<{ grpc: string }>("serve-auth.ts", ["chassis", db.url]);
const signup = await createClient(AuthService, createGrpcTransport({ baseUrl: auth.info.grpc })).signUp({
  email: "bench@example.com",
  password: "benchmark password",
  displayName: "Bench",
});
const bearer = { authorization: `Bearer ${signup.tokens!.accessToken}` };
const gateway = await startServerProcess<{ url: string }>("serve-gateway.ts", [auth.info.grpc, "grpc"]);
const gatewayConnect = await startServerProcess<{ url: string }>("serve-gateway.ts", [auth.info.grpc, "connect"]);
const sameBytes = await (await fetch(`${gateway.info.url}/api/v1/users/me`, { headers: bearer })).text();
const bare = await startServerProcess<{ url: string }>("serve-static.ts", [sameBytes]);

const targets: [string, HttpTarget, { cpuMs(): number }[]][] = [
  ["direct: Connect JSON to auth", { url: `${auth.info.grpc}/triphub.auth.v1.AuthService/GetMe`, method: "POST", body: "{}", headers: { "content-type": "application/json", ...bearer } }, [auth]],
  ["gateway (gRPC upstream): GET /api/v1/users/me", { url: `${gateway.info.url}/api/v1/users/me`, method: "GET", headers: bearer }, [gateway, auth]],
  ["gateway (Connect upstream): GET /api/v1/users/me", { url: `${gatewayConnect.info.url}/api/v1/users/me`, method: "GET", headers: bearer }, [gatewayConnect, auth]],
  ["bare Fastify route, same bytes", { url: `${bare.info.url}/static`, method: "GET", headers: {} }, [bare]],
];

const runs = new Map<string, LoadResult[]>();
// A gateway row's CPU column counts gateway and auth; this keeps each gateway's own share.
const gatewayCpuUs = new Map<string, number[]>();
for (const [, target] of targets) await autocannonRun(target, { concurrency: CONCURRENCY, seconds: 2 }); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, target, servers] of targets) {
    const before = servers.map((s) => s.cpuMs());
    const r = await autocannonRun(target, { concurrency: CONCURRENCY, seconds: SECONDS });
    const used = servers.map((s, i) => s.cpuMs() - before[i]!);
    r.cpuUsPerRequest = (used.reduce((a, b) => a + b, 0) * 1000) / r.requests;
    if (servers.length > 1) gatewayCpuUs.set(name, [...(gatewayCpuUs.get(name) ?? []), (used[0]! * 1000) / r.requests]);
    runs.set(name, [...(runs.get(name) ?? []), r]);
  }
}
await Promise.all([auth.stop(), gateway.stop(), gatewayConnect.stop(), bare.stop()]);
await db.stop();

const mean = (rs: LoadResult[]): LoadResult => {
  const avg = (k: keyof LoadResult) => rs.reduce((s, r) => s + (r[k] ?? 0), 0) / rs.length;
  return { requests: avg("requests"), errors: avg("errors"), rps: avg("rps"), p50: avg("p50"), p99: avg("p99"), cpuUsPerRequest: avg("cpuUsPerRequest") };
};
const report = [
  `## Gateway overhead: authenticated GET, ${CONCURRENCY} connections, ${ROUNDS}×${SECONDS}s per row`,
  machine(),
  table(targets.map(([name]) => ({ protocol: "HTTP/1.1", server: name, r: mean(runs.get(name)!) }))),
];
const figures: string[] = [];
const direct = runs.get(targets[0]![0])!;
for (const [name, samples] of gatewayCpuUs) {
  const own = samples.reduce((a, b) => a + b, 0) / samples.length;
  // Per round, against the direct row of the same round: on a shared machine the load drifts
  // between rounds, and a ratio within a round is steadier than one of means.
  const ratios = runs.get(name)!.map((r, i) => r.rps / direct[i]!.rps);
  report.push(`Of "${name}"'s server CPU, the gateway process itself: ${own.toFixed(0)} µs/req.\n  req/s vs. direct, round by round: ${ratios.map((x) => x.toFixed(2)).join(", ")}`);
  const upstream = /\((\w+) upstream\)/.exec(name)?.[1] ?? name;
  const meanRatio = mean(runs.get(name)!).rps / mean(direct).rps;
  figures.push(`${upstream} upstream ${meanRatio.toFixed(2)}× (gateway ${own.toFixed(0)} µs/req)`);
}
publish("gateway-overhead", report.join("\n\n"), `gateway vs. direct: ${figures.join("; ")}`);
