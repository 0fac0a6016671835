import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The database the auth stores work on: drizzle over postgres.js, with or without a relational
 * schema (`drizzle(client)` and `drizzle(client, { schema })` both fit). The SQL helpers every
 * store shares (timestamps, constraint violations, ids) are the platform's.
 */
export type AuthDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an `AuthDb`. */
export type AuthTx = Parameters<Parameters<AuthDb["transaction"]>[0]>[0];

/**
 * A write that must commit or roll back with a store's change (an audit event): run in the
 * change's transaction, after it, with its result. A store method that takes one opens a
 * transaction for it when the change would otherwise be a single statement.
 */
export type Alongside<T> = (tx: AuthTx, result: T) => Promise<void>;

/** Runs `work` alone, or with `alongside` after it in one transaction. */
export async function withAlongside<T>(db: AuthDb, work: (q: AuthDb | AuthTx) => Promise<T>, alongside: Alongside<T> | undefined): Promise<T> {
  if (alongside === undefined) return work(db);
  return db.transaction(async (tx) => {
    const result = await work(tx);
    await alongside(tx, result);
    return result;
  });
}
