// `npm start`: the whole platform on embedded defaults, one process per service.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalPostgres, type LocalPostgres } from "./embedded-postgres.js";
import { databaseUrlVariable, SERVICES } from "./services.js";
import { type Child, startChild, stopChild, tailOfLog, waitReady } from "./supervisor.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dataDir = join(root, ".data");
const logDir = join(dataDir, "logs");
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const started = performance.now();
  await mkdir(logDir, { recursive: true });
  const external = (name: string) => process.env[databaseUrlVariable(name)];
  const needsLocal = SERVICES.some((s) => s.database && !external(s.name));

  let pg: LocalPostgres | undefined;
  if (needsLocal) {
    const port = Number(process.env.DEVSTACK_POSTGRES_PORT ?? 54329);
    pg = await startLocalPostgres(dataDir, port);
    say(`▸ PostgreSQL (embedded) on 127.0.0.1:${port}, data in .data/postgres`);
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

  for (const svc of SERVICES) {
    const env: Record<string, string> = {};
    if (svc.database) {
      const db = `triphub_${svc.name}`;
      if (!external(svc.name)) await pg!.ensureDatabase(db);
      env.DATABASE_URL = external(svc.name) ?? pg!.urlFor(db);
    }
    const entry = join("packages", svc.dir, "src", "main.ts");
    const child = startChild({ name: svc.name, root, entry, port: svc.port, env, logDir });
    children.push(child);
    void child.exited.then(async (code) => {
      if (stopping) return;
      say(`✖ ${child.name} exited (${code}). Last lines of ${child.logFile}:\n${await tailOfLog(child)}`);
      await stopAll(1);
    });
  }

  try {
    await Promise.all(children.map((c) => waitReady(c, 30_000)));
  } catch (e) {
    say(`✖ ${(e as Error).message}`);
    for (const c of children) say(`--- ${c.name} (${c.logFile}):\n${await tailOfLog(c)}`);
    await stopAll(1);
    return;
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`\nTripHub is up in ${seconds}s.`);
  for (const c of children) say(`  ${c.name.padEnd(14)} ${c.url}   (log: ${c.logFile.replace(`${root}/`, "")})`);
  const auth = children.find((c) => c.name === "auth");
  if (auth) {
    say("\nTry it:");
    say(
      `  curl -s ${auth.url}/triphub.auth.v1.AuthService/SignUp -H 'content-type: application/json' \\\n` +
        `    -d '{"email":"ana@example.com","password":"correct horse battery","displayName":"Ana"}'`,
    );
  }
  say("\nCtrl-C stops everything.");
}

main().catch((e: unknown) => {
  process.stderr.write(`devstack failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
