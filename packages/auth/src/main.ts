// Process entry of the auth service: configuration, database, server. No logic here.
import { closeOnSignals, createLogger, openDatabase } from "@triphub/platform";
import { loadAuthConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

const config = loadAuthConfig(process.env);
const log = createLogger({ service: "auth", level: config.LOG_LEVEL });
const database = await openDatabase({ url: config.DATABASE_URL, migrationsFolder: MIGRATIONS_FOLDER, log });
const host = await buildServer({ config, database, log });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
