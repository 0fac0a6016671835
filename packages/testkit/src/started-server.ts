/** Where a test server came from: the environment, a container, or a process we started. */
export type ServerSource = "env" | "testcontainers" | "embedded";

/** A running server for the length of a test run. */
export interface StartedServer {
  /** Connection URL of the server (`postgres://…` or `redis://…`). */
  url: string;
  source: ServerSource;
  /** Stops what we started and deletes its files; a no-op for servers from the environment. */
  stop(): Promise<void>;
}

/** The one line a start-up prints: which source was chosen and where, never the password. */
export function announce(what: string, server: StartedServer): void {
  const { host } = new URL(server.url);
  process.stderr.write(`testkit: ${what} from ${server.source} at ${host}\n`);
}

/** Non-empty value of the first variable set, if any. */
export function envUrl(...names: string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name];
    if (value) return value;
  }
  return undefined;
}
