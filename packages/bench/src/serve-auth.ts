// Child process of the chassis benchmark: serves the real auth handlers either through the
// chassis or on a bare @connectrpc/connect-fastify server, and prints its URLs as JSON.
import { randomBytes } from "node:crypto";
import { createContextValues } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { buildAuthImpl, buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "@triphub/auth";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, identityKey, openDatabase } from "@triphub/platform";
import { testSealingKeys } from "@triphub/testkit";
import fastify from "fastify";

const [mode, databaseUrl, userId] = process.argv.slice(2);
// Logs go to stderr: stdout carries only the JSON line the bench reads.
const log = createLogger({ service: "bench-auth", level: "warn", destination: process.stderr });
const database = await openDatabase({ url: databaseUrl!, migrationsFolder: MIGRATIONS_FOLDER, log });
const deps = {
  // The defaults `npm start` runs with, which include a key sealing the signing keys (the
  // parent's, when two of these processes share a database).
  config: loadAuthConfig({ DATABASE_URL: databaseUrl, AUTH_KEY_ENCRYPTION_KEY: process.env.AUTH_KEY_ENCRYPTION_KEY ?? randomBytes(32).toString("base64url"),
    // The parent's sealing keys (or fresh ones), so both processes open the same data keys.
    ...testSealingKeys(),
    ...(process.env.DATA_KEKS && { DATA_KEKS: process.env.DATA_KEKS }),
    ...(process.env.BLIND_INDEX_KEY && { BLIND_INDEX_KEY: process.env.BLIND_INDEX_KEY }),
  }),
  database,
  log,
};

if (mode === "chassis") {
  const host = await buildServer(deps);
  const url = await host.listen({ port: 0 });
  process.stdout.write(`${JSON.stringify({ grpc: url, json: url })}\n`);
} else {
  // The bare server has no auth interceptor, so it is handed the caller's identity directly:
  // the comparison then charges the chassis for verifying the JWT on every call.
  const { impl } = await buildAuthImpl(deps);
  const plugin = {
    routes: (router: import("@connectrpc/connect").ConnectRouter) => router.service(AuthService, impl),
    contextValues: () => createContextValues().set(identityKey, { userId: userId!, roles: ["GUEST"] }),
  };
  // Without TLS, Fastify serves either HTTP/2 or HTTP/1.1 on a port, so the bare setup needs two.
  const h2 = fastify({ http2: true });
  await h2.register(fastifyConnectPlugin, plugin);
  const h1 = fastify();
  await h1.register(fastifyConnectPlugin, plugin);
  const grpc = await h2.listen({ port: 0, host: "127.0.0.1" });
  const json = await h1.listen({ port: 0, host: "127.0.0.1" });
  process.stdout.write(`${JSON.stringify({ grpc, json })}\n`);
}

// Exit normally on SIGTERM so that --cpu-prof (BENCH_CPU_PROFILE) can write its profile.
process.once("SIGTERM", () => process.exit(0));
