// `npm start`: the whole platform on embedded defaults, one process per service.
import { mkdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { devSecret, type LocalPostgres, startLocalPostgres } from "./embedded-postgres.js";
import { databaseUrlVariable, GATEWAY, SERVICES, type ServiceSpec } from "./services.js";
import { seedCatalogue } from "./seed.js";
import { devServiceIdentities } from "./service-identities.js";
import { type Child, startChild, stopChild, tailOfLog, waitReady } from "./supervisor.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
// Tests run a second devstack beside a developer's own with these two.
const dataDir = resolve(root, process.env.DEVSTACK_DATA_DIR ?? ".data");
const portOffset = Number(process.env.DEVSTACK_PORT_OFFSET ?? 0);
const logDir = join(dataDir, "logs");
const say = (line: string) => process.stdout.write(`${line}\n`);
const portOf = (s: ServiceSpec) => s.port + portOffset;

async function main() {
  const started = performance.now();
  await mkdir(logDir, { recursive: true });
  const external = (name: string) => process.env[databaseUrlVariable(name)];

  let pg: LocalPostgres | undefined;
  if (SERVICES.some((s) => s.database && !external(s.name))) {
    const port = process.env.DEVSTACK_POSTGRES_PORT ? Number(process.env.DEVSTACK_POSTGRES_PORT) : 54329 + portOffset;
    pg = await startLocalPostgres(dataDir, port);
    say(`▸ PostgreSQL (embedded) on 127.0.0.1:${port}, data in ${relative(root, dataDir)}/postgres`);
  }

  const children: Child[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("▸ stopping…");
    await Promise.all(children.map((c) => stopChild(c)));
    await pg?.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));

  const start = (svc: ServiceSpec, env: Record<string, string>) => {
    const entry = join("packages", svc.dir, "src", "main.ts");
    const child = startChild({ name: svc.name, root, entry, port: portOf(svc), env, logDir });
    children.push(child);
    void child.exited.then(async (code) => {
      if (stopping) return;
      say(`✖ ${child.name} exited (${code}). Last lines of ${child.logFile}:\n${await tailOfLog(child)}`);
      await stopAll(1);
    });
    return child;
  };
  const ready = async (batch: Child[]) => {
    try {
      await Promise.all(batch.map((c) => waitReady(c, 30_000)));
    } catch (e) {
      say(`✖ ${(e as Error).message}`);
      for (const c of batch) say(`--- ${c.name} (${c.logFile}):\n${await tailOfLog(c)}`);
      await stopAll(1);
    }
  };

  const auth = SERVICES.find((s) => s.name === "auth")!;
  // Every service verifies access tokens against auth's keys; they are fetched on first use,
  // so the services can start alongside auth.
  const authUrl = `http://127.0.0.1:${portOf(auth)}`;
  const jwksUrl = `${authUrl}/.well-known/jwks.json`;
  // Each service proves who it is to the others with tokens from auth (client credentials).
  const identities = await devServiceIdentities(dataDir, [...SERVICES, GATEWAY].map((s) => s.name), authUrl);
  const services = [];
  for (const svc of SERVICES) {
    const env: Record<string, string> = { AUTH_JWKS_URL: jwksUrl, ...identities.envFor(svc.name) };
    // Auth seals its signing keys with a secret made on first start (never in the repository).
    if (svc.name === "auth") {
      env.AUTH_KEY_ENCRYPTION_KEY = process.env.AUTH_KEY_ENCRYPTION_KEY ?? (await devSecret(dataDir, "auth-key-encryption-key"));
      env.SERVICE_CLIENTS = identities.serviceClients;
    }
    if (svc.database) {
      const db = `triphub_${svc.name}`;
      if (!external(svc.name)) await pg!.ensureDatabase(db);
      env.DATABASE_URL = external(svc.name) ?? pg!.urlFor(db);
    }
    services.push(start(svc, env));
  }
  await ready(services);

  // The demo catalogue goes into the embedded database only, never an external one.
  const accommodation = SERVICES.find((s) => s.name === "accommodation");
  const seedCount = Number(process.env.DEVSTACK_SEED_PROPERTIES ?? 2000);
  if (accommodation && pg && !external(accommodation.name) && seedCount > 0) {
    say(`▸ demo catalogue: ${await seedCatalogue(root, pg.urlFor("triphub_accommodation"), seedCount)}`);
  }

  const gateway = start(GATEWAY, {
    UPSTREAMS: SERVICES.filter((s) => s.public)
      .map((s) => `${s.name}=http://127.0.0.1:${portOf(s)}`)
      .join(","),
    AUTH_JWKS_URL: jwksUrl,
    ...identities.envFor(GATEWAY.name),
    PUBLIC_URL: `http://127.0.0.1:${portOf(GATEWAY)}`,
  });
  await ready([gateway]);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`\nTripHub is up in ${seconds}s.\n`);
  say(`  REST API   ${gateway.url}/api/v1/...`);
  say(`  API docs   ${gateway.url}/docs   (OpenAPI: ${gateway.url}/openapi.json)`);
  const width = Math.max(...children.map((c) => c.name.length)) + 1;
  for (const c of children) say(`  ${c.name.padEnd(width)} ${c.url}   (log: ${relative(root, c.logFile)})`);
  say("\nTry it:");
  say(
    `  curl -s ${gateway.url}/api/v1/users -H 'content-type: application/json' \\\n` +
      `    -d '{"email":"ana@example.com","password":"correct horse battery","displayName":"Ana"}'`,
  );
  say("\nCtrl-C stops everything.");
}

main().catch((e: unknown) => {
  process.stderr.write(`devstack failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
