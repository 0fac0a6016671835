import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { dropDatabases } from "./pg-admin.js";
import { startPostgres } from "./postgres.js";
import "./provided-context.js";
import { ensureRedisServer, startRedis } from "./redis.js";
import type { StartedServer } from "./started-server.js";

/**
 * vitest globalSetup: one PostgreSQL and one Redis for the whole run, started in parallel and
 * handed to test files as `inject("databaseUrl")` / `inject("redisUrl")`; the returned
 * teardown stops both.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const results = await Promise.allSettled([startPostgres(), ensureRedisServer().then(startRedis)]);
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw failed.reason;
  }
  const [pg, redis] = started as [StartedServer, StartedServer];
  const prefix = `t${randomBytes(3).toString("hex")}_`;
  project.provide("databaseUrl", pg.url);
  project.provide("redisUrl", redis.url);
  project.provide("databasePrefix", prefix);
  return async () => {
    // Servers we started vanish with their data; a server from the environment outlives the
    // run, so drop what this run created there (templates stay: they are keyed by content).
    if (pg.source === "env") {
      await dropDatabases(pg.url, prefix).catch((err: unknown) => {
        process.stderr.write(`testkit: could not drop this run's databases: ${String(err)}\n`);
      });
    }
    await Promise.all([pg.stop(), redis.stop()]);
  };
}
