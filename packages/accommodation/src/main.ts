// Process entry of the accommodation service: configuration, database, server. No logic here.
import { closeOnSignals, configOrExit, createLogger, openDatabase } from "@triphub/platform";
import { loadAccommodationConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

const { config, tls } = await configOrExit("accommodation", () => loadAccommodationConfig(process.env));
const log = createLogger({ service: "accommodation", level: config.LOG_LEVEL });
const database = await openDatabase({ url: config.DATABASE_URL, migrationsFolder: MIGRATIONS_FOLDER, log });
const host = await buildServer({ config, database, log, tls });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
