// Versions of configuration in PostgreSQL: appended, never changed. Each append tells the
// config servers that watch (one LISTEN per process) through NOTIFY in the same transaction.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { DomainError } from "@triphub/platform/domain-error";
import { isUniqueViolation } from "@triphub/platform/store-helpers";
import { type ConfigVersion, type NewConfigVersion, nextVersion, staleVersion } from "../domain/config-version.js";
import type { ConfigDb } from "./db.js";
import { configVersions } from "./schema.js";

/** The channel appends NOTIFY on (payload: `<service>/<environment>`). */
export const CONFIG_CHANNEL = "config_versions";

/** Reads and appends configuration versions. */
export interface ConfigStore {
  latest(service: string, environment: string): Promise<ConfigVersion | undefined>;
  get(service: string, environment: string, version: number): Promise<ConfigVersion | undefined>;
  /** Newest first, the versions below `before` (all when undefined), at most `limit`. */
  list(service: string, environment: string, before: number | undefined, limit: number): Promise<ConfigVersion[]>;
  /**
   * Writes the next version. With `expectedVersion`, a conflict (ABORTED) unless that is still
   * the latest; without, a concurrent writer of the same number makes this one try the next.
   */
  append(version: NewConfigVersion, expectedVersion?: number): Promise<ConfigVersion>;
}

type Row = typeof configVersions.$inferSelect;

const toVersion = (r: Row): ConfigVersion => ({
  service: r.service,
  environment: r.environment,
  version: r.version,
  values: r.values,
  author: r.author,
  comment: r.comment,
  restoredVersion: r.restoredVersion ?? undefined,
  createdAt: r.createdAt,
});

// Attempts before a writer without expected_version gives up racing others (each loss means
// another version was written in between, which is rare for configuration).
const MAX_ATTEMPTS = 5;

/** The store over the config server's database. */
export function createConfigStore(db: ConfigDb): ConfigStore {
  const of = (service: string, environment: string) => and(eq(configVersions.service, service), eq(configVersions.environment, environment));

  return {
    async latest(service, environment) {
      const [row] = await db.select().from(configVersions).where(of(service, environment)).orderBy(desc(configVersions.version)).limit(1);
      return row && toVersion(row);
    },
    async get(service, environment, version) {
      const [row] = await db
        .select()
        .from(configVersions)
        .where(and(of(service, environment), eq(configVersions.version, version)));
      return row && toVersion(row);
    },
    async list(service, environment, before, limit) {
      const rows = await db
        .select()
        .from(configVersions)
        .where(before === undefined ? of(service, environment) : and(of(service, environment), lt(configVersions.version, before)))
        .orderBy(desc(configVersions.version))
        .limit(limit);
      return rows.map(toVersion);
    },
    async append(v, expectedVersion) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const [top] = await tx
              .select({ version: sql<number>`coalesce(max(${configVersions.version}), 0)`.mapWith(Number) })
              .from(configVersions)
              .where(of(v.service, v.environment));
            const version = nextVersion(top?.version ?? 0, expectedVersion);
            const [row] = await tx
              .insert(configVersions)
              .values({ ...v, version, restoredVersion: v.restoredVersion ?? null })
              .returning();
            // Delivered to every listening config server when (and only if) this commits.
            await tx.execute(sql`select pg_notify(${CONFIG_CHANNEL}, ${`${v.service}/${v.environment}`})`);
            return toVersion(row!);
          });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // Another writer took this number first: with an expected version that is a stale
          // write; without, try again on top of it.
          if (expectedVersion !== undefined) throw staleVersion(expectedVersion);
          if (attempt >= MAX_ATTEMPTS) throw new DomainError("conflict", "the configuration is being changed by others right now; try again");
        }
      }
    },
  };
}
