import type { Logger } from "pino";
import { ConfigError } from "../config.js";
import { startTracing, type Tracing } from "./tracing-setup.js";

/**
 * For main.ts: starts tracing as the process's `OTEL_*` variables say (nothing when none asks
 * for it), or prints the ConfigError and exits with status 2 as a bad configuration does.
 * Call `shutdown` after the server closed, so the last spans are exported before the exit.
 */
export function tracingOrExit(service: string, env: NodeJS.ProcessEnv, log: Logger): Tracing | undefined {
  try {
    const tracing = startTracing({ service, env });
    if (tracing) log.info({ sampler: env.OTEL_TRACES_SAMPLER ?? "parentbased_always_on" }, "tracing on: spans exported over OTLP");
    return tracing;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${service}: ${e.message}\n`);
    process.exit(2);
  }
}
