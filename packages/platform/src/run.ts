import type { Logger } from "pino";
import type { ServiceHost } from "./service-host.js";

/**
 * Closes the service gracefully on SIGTERM/SIGINT (stop accepting, drain, close the database),
 * then exits. A second signal exits at once. Only main.ts calls this.
 */
export function closeOnSignals(host: ServiceHost, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    host.close().then(
      () => {
        log.info("stopped");
        log.flush?.();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
