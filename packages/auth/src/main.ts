// Process entry of the auth service: configuration, database, server. No logic here.
import { closeOnSignals, configOrExit, createLogger, openDatabase } from "@triphub/platform";
import { loadAuthConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

const { config, tls } = await configOrExit("auth", () => loadAuthConfig(process.env));
const log = createLogger({ service: "auth", level: config.LOG_LEVEL });
const database = await openDatabase({ url: config.DATABASE_URL, migrationsFolder: MIGRATIONS_FOLDER, log });
const host = await buildServer({ config, database, log, tls });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
