// `npm start`: the whole platform on embedded defaults, one process per service.
import { mkdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVICE_NAMES, setClientTls } from "@triphub/platform";
import { devCertificates, type DevCertificates } from "./dev-certificates.js";
import { devSealingKeys, devSecret, type LocalPostgres, openLocalPostgres, SEALING_SERVICES } from "./embedded-postgres.js";
import { databaseUrlVariable, GATEWAY, parseReplicas, replicaPort, SERVICES, type ServiceSpec } from "./services.js";
import { DEMO_GUEST_EMAIL, seedCatalogue, seedDemoReviews, seedDemoStays, seedDemoUsers } from "./seed.js";
import { killLeftoverChildren, serviceUnit, tailOfLog } from "./service-process.js";
import { waitUntilRegistered } from "./registrations.js";
import { devServiceIdentities } from "./service-identities.js";
import { createSupervisor, type SupervisedUnit, type Supervisor } from "./supervisor.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
// Tests run a second devstack beside a developer's own with these two.
const dataDir = resolve(root, process.env.DEVSTACK_DATA_DIR ?? ".data");
const portOffset = Number(process.env.DEVSTACK_PORT_OFFSET ?? 0);
const logDir = join(dataDir, "logs");
const say = (line: string) => process.stdout.write(`${line}\n`);
const portOf = (s: ServiceSpec) => s.port + portOffset;
// `DEVSTACK_TLS=1 npm start` or `npm start -- --tls`: HTTPS at the gateway, mTLS between services.
const tlsOn = /^(1|true|yes)$/i.test(process.env.DEVSTACK_TLS ?? "") || process.argv.slice(2).includes("--tls");
const scheme = tlsOn ? "https" : "http";
// `DEVSTACK_REPLICAS=accommodation=2` or `npm start -- --replicas accommodation=2`: more processes
// of a service on one database, at its port + 10, + 20...; callers balance over them.
const replicasArg = process.argv.slice(2).find((_a, i, all) => all[i - 1] === "--replicas");
const replicas = parseReplicas(process.env.DEVSTACK_REPLICAS ?? replicasArg ?? "");
/** The ports of every process of a service. */
const portsOf = (s: ServiceSpec) => Array.from({ length: replicas.get(s.name) ?? 1 }, (_, k) => replicaPort(s, k) + portOffset);

/** A service process the devstack runs, under its supervisor. */
interface Started {
  name: string;
  url: string;
  logFile: string;
  supervisor: Supervisor;
}

async function main() {
  const started = performance.now();
  await mkdir(logDir, { recursive: true });
  const external = (name: string) => process.env[databaseUrlVariable(name)];
  // embedded-postgres stops its server on these signals by itself and then exits the process,
  // racing the stop below, which ends the services before their database.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);
  process.on("exit", killLeftoverChildren);

  const services: Started[] = [];
  let database: Supervisor | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("▸ stopping…");
    // No restart from here on, the database's included: it stops once nobody uses it.
    database?.halt();
    await Promise.all(services.map((s) => s.supervisor.stop()));
    await database?.stop();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => void stopAll(0));

  const supervise = (unit: SupervisedUnit) => createSupervisor(unit, { say, root });
  // A failure while the platform first starts stops everything: what is broken then is not
  // going to mend itself by restarting.
  const startAll = async (batch: Started[]) => {
    try {
      await Promise.all(batch.map((s) => s.supervisor.start()));
    } catch (e) {
      if (stopping) return;
      say(`✖ ${(e as Error).message}`);
      for (const s of batch) say(`--- ${s.name} (${s.logFile}):\n${await tailOfLog(s.logFile)}`);
      await stopAll(1);
    }
  };

  let pg: LocalPostgres | undefined;
  if (SERVICES.some((s) => s.database && !external(s.name))) {
    const port = process.env.DEVSTACK_POSTGRES_PORT ? Number(process.env.DEVSTACK_POSTGRES_PORT) : 54329 + portOffset;
    pg = await openLocalPostgres(dataDir, port, logDir);
    database = supervise(pg.server);
    await database.start();
    say(`▸ PostgreSQL (embedded) on 127.0.0.1:${port}, data in ${relative(root, dataDir)}/postgres`);
  }

  // Made on first start in <data>/tls and reused; every service gets its own certificate, which
  // it serves with and presents when it calls another (its name in a spiffe://triphub/ URI).
  let certificates: DevCertificates | undefined;
  if (tlsOn) {
    certificates = await devCertificates(join(dataDir, "tls"), [...SERVICES.map((s) => s.name), GATEWAY.name]);
    const made = certificates.issued.length === 0 ? "reused" : `issued ${certificates.issued.join(", ")}`;
    // The devstack asks auth and the registry itself (whether everyone registered) over TLS.
    setClientTls(certificates.probeTls);
    say(`▸ TLS: HTTPS at the gateway, mTLS between services; CA ${relative(root, certificates.caFile)} (${made})`);
  }

  // Instance k of a service (0 first) is named `<service>-<k+1>` beyond the first.
  const start = (svc: ServiceSpec, env: Record<string, string>, k = 0): Started => {
    const entry = join("packages", svc.dir, "src", "main.ts");
    const tls = certificates && { env: certificates.envFor(svc.name), probe: certificates.probeTls };
    const name = k === 0 ? svc.name : `${svc.name}-${k + 1}`;
    const port = portsOf(svc)[k]!;
    const unit = serviceUnit({ name, root, entry, port, env: { ...env, ...tls?.env }, logDir, tls: tls?.probe });
    const started = { name, url: `${scheme}://127.0.0.1:${port}`, logFile: unit.logFile!, supervisor: supervise(unit) };
    services.push(started);
    return started;
  };
  const urlsOf = (s: ServiceSpec) => portsOf(s).map((port) => `${scheme}://127.0.0.1:${port}`);

  const auth = SERVICES.find((s) => s.name === "auth")!;
  // Every service verifies access tokens against auth's keys; they are fetched on first use,
  // so the services can start alongside auth.
  const authUrl = `${scheme}://127.0.0.1:${portOf(auth)}`;
  const jwksUrl = `${authUrl}/.well-known/jwks.json`;
  // Each service proves who it is to the others with tokens from auth (client credentials).
  const identities = await devServiceIdentities(dataDir, SERVICE_NAMES, authUrl);
  // Where each service is (e.g. PAYMENT_URL), for services that call others. Services find
  // each other through the registry (`registry:///payment`): each registers there once ready,
  // and callers balance over the instances it lists, however many run (DEVSTACK_REPLICAS).
  // Fixed addresses only for what the others need before they can ask it: auth (tokens, keys),
  // the registry itself (REGISTRY_URL) and the config server (CONFIG_URL; each service loads
  // its settings at start and follows them, keeping the last applied ones under
  // <data>/config-cache for a start while the config server is down).
  const addressOf = (s: ServiceSpec) => (s.early ? urlsOf(s).join(",") : `registry:///${s.name}`);
  const serviceUrls = Object.fromEntries(SERVICES.map((s) => [`${s.name.toUpperCase()}_URL`, addressOf(s)]));
  // Calls to auth's RPCs (not its token endpoint) go through the registry too.
  serviceUrls.AUTH_URL = "registry:///auth";
  const liveConfig = { CONFIG_CACHE_DIR: join(dataDir, "config-cache"), ENVIRONMENT: process.env.ENVIRONMENT ?? "dev" };
  // Every process started so far, listed healthy by the registry (see waitUntilRegistered).
  const registered = async (processes: Started[]) => {
    const expected = new Map<string, string[]>();
    for (const p of processes) {
      const service = p.name.replace(/-\d+$/, "");
      expected.set(service, [...(expected.get(service) ?? []), new URL(p.url).host]);
    }
    try {
      await waitUntilRegistered({
        registryUrl: serviceUrls.REGISTRY_URL!,
        tokenUrl: `${authUrl}/oauth2/token`,
        clientId: GATEWAY.name,
        clientSecret: identities.envFor(GATEWAY.name).SERVICE_CLIENT_SECRET!,
        expected,
      });
    } catch (e) {
      if (stopping) return;
      say(`✖ ${(e as Error).message}`);
      await stopAll(1);
    }
  };
  const early: Started[] = [];
  const batch: Started[] = [];
  for (const svc of SERVICES) {
    const env: Record<string, string> = { AUTH_JWKS_URL: jwksUrl, ...identities.envFor(svc.name), ...serviceUrls, ...liveConfig };
    // Auth and reservation seal personal data with keys made on first start (never in the repository).
    if (SEALING_SERVICES.has(svc.name)) Object.assign(env, await devSealingKeys(dataDir, svc.name));
    if (svc.name === "auth") {
      env.AUTH_KEY_ENCRYPTION_KEY = process.env.AUTH_KEY_ENCRYPTION_KEY ?? (await devSecret(dataDir, "auth-key-encryption-key"));
      env.SERVICE_CLIENTS = identities.serviceClients;
    }
    if (svc.database) {
      const db = `triphub_${svc.name}`;
      if (!external(svc.name)) await pg!.ensureDatabase(db);
      env.DATABASE_URL = external(svc.name) ?? pg!.urlFor(db);
    }
    for (const k of portsOf(svc).keys()) (svc.early ? early : batch).push(start(svc, env, k));
  }
  // Auth (service tokens), the registry and the config server first, so the others start on
  // their settings and register at once.
  await startAll(early);
  if (stopping) return;
  await startAll(batch);
  if (stopping) return;
  await registered([...early, ...batch]);
  if (stopping) return;

  // The demo data goes into the embedded database only, never an external one.
  const seedCount = Number(process.env.DEVSTACK_SEED_PROPERTIES ?? 2000);
  const embedded = (name: string) => pg !== undefined && SERVICES.some((s) => s.name === name && s.database) && !external(name);
  if (pg && embedded("accommodation") && seedCount > 0) {
    say(`▸ demo catalogue: ${await seedCatalogue(root, pg.urlFor("triphub_accommodation"), seedCount)}`);
    // The history reviews hang on: reviewers and the demo guest, then their completed stays.
    if (embedded("auth")) {
      const passwordFile = join(dataDir, "secrets", "demo-guest-password");
      await devSecret(dataDir, "demo-guest-password");
      const users = await seedDemoUsers(root, pg.urlFor("triphub_auth"), passwordFile, await devSealingKeys(dataDir, "auth"));
      say(`▸ demo users: ${users}; sign in as ${DEMO_GUEST_EMAIL} with the password in ${relative(root, passwordFile)}`);
      if (embedded("reservation")) {
        const urls = { reservation: pg.urlFor("triphub_reservation"), accommodation: pg.urlFor("triphub_accommodation"), auth: pg.urlFor("triphub_auth") };
        say(`▸ demo stays: ${await seedDemoStays(root, urls, await devSealingKeys(dataDir, "reservation"))}`);
        if (embedded("review")) {
          say(`▸ demo reviews: ${await seedDemoReviews(root, { ...urls, review: pg.urlFor("triphub_review") })}`);
        }
      }
    }
  }

  const gateway = start(GATEWAY, {
    UPSTREAMS: SERVICES.filter((s) => s.public)
      .map((s) => `${s.name}=registry:///${s.name}`)
      .join(","),
    AUTH_JWKS_URL: jwksUrl,
    // Where partner API keys are verified.
    AUTH_URL: serviceUrls.AUTH_URL!,
    ...identities.envFor(GATEWAY.name),
    CONFIG_URL: serviceUrls.CONFIG_URL!,
    REGISTRY_URL: serviceUrls.REGISTRY_URL!,
    ...liveConfig,
    PUBLIC_URL: `${scheme}://127.0.0.1:${portOf(GATEWAY)}`,
  });
  await startAll([gateway]);
  if (stopping) return;
  const gatewayUrl = gateway.url;

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`\nTripHub is up in ${seconds}s.\n`);
  say(`  REST API   ${gatewayUrl}/api/v1/...`);
  say(`  API docs   ${gatewayUrl}/docs   (OpenAPI: ${gatewayUrl}/openapi.json)`);
  const width = Math.max(...services.map((c) => c.name.length)) + 1;
  for (const c of services) say(`  ${c.name.padEnd(width)} ${c.url}   (log: ${relative(root, c.logFile)})`);
  say("\nTry it:");
  const cacert = certificates ? ` --cacert ${relative(root, certificates.caFile)}` : "";
  say(
    `  curl -s${cacert} ${gatewayUrl}/api/v1/users -H 'content-type: application/json' \\\n` +
      `    -d '{"email":"ana@example.com","password":"correct horse battery","displayName":"Ana"}'`,
  );
  say("\nA service that crashes is restarted. Ctrl-C stops everything.");
}

main().catch((e: unknown) => {
  process.stderr.write(`devstack failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
