// Process entry of the auth service: configuration, database, server. No logic here.
import { closeOnSignals, ConfigError, createLogger, loadTls, openDatabase } from "@triphub/platform";
import { type AuthConfig, loadAuthConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

let config: AuthConfig;
let tls: Awaited<ReturnType<typeof loadTls>>;
try {
  config = loadAuthConfig(process.env);
  tls = await loadTls(config);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`auth: ${e.message}\n`);
  process.exit(2);
}
const log = createLogger({ service: "auth", level: config.LOG_LEVEL });
const database = await openDatabase({ url: config.DATABASE_URL, migrationsFolder: MIGRATIONS_FOLDER, log });
const host = await buildServer({ config, database, log, tls });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
