import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The last configuration a service applied, as kept on its disk. */
export interface CachedConfig {
  service: string;
  environment: string;
  version: number;
  values: Record<string, string>;
}

/** The applied configuration of one service and environment in a local file. */
export interface ConfigCache {
  /** The file's content, or undefined when there is none (or it is unreadable: a cache is never worth failing for). */
  read(): Promise<CachedConfig | undefined>;
  /** Replaces the file at once (written aside, then renamed), so a crash never leaves half a file. */
  write(config: CachedConfig): Promise<void>;
  readonly file: string;
}

/** The cache file `<dir>/<service>.<environment>.json`. */
export function createConfigCache(dir: string, service: string, environment: string): ConfigCache {
  const file = join(dir, `${service}.${environment}.json`);
  return {
    file,
    async read() {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        return isCachedConfig(parsed) && parsed.service === service && parsed.environment === environment ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async write(config) {
      await mkdir(dir, { recursive: true });
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      await rename(aside, file);
    },
  };
}

function isCachedConfig(v: unknown): v is CachedConfig {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  const values = o.values;
  return (
    typeof o.service === "string" &&
    typeof o.environment === "string" &&
    typeof o.version === "number" &&
    typeof values === "object" &&
    values !== null &&
    Object.values(values).every((x) => typeof x === "string")
  );
}
