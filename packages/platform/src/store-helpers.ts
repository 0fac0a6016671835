import { type SQL, sql } from "drizzle-orm";

/**
 * A timestamp parameter for raw SQL. postgres.js under drizzle does not serialize a bare Date
 * outside a column context, so pass ISO text and cast it.
 */
export function timestamptz(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

/** `err` and the errors it wraps through `cause`, outermost first (drizzle wraps the driver's errors). */
export function* causeChain(err: unknown, depth = 5): Generator<Error & { code?: unknown }> {
  for (let e = err, n = 0; e instanceof Error && n < depth; e = e.cause, n++) yield e;
}

// The PostgreSQL error in `err` or its `cause` chain: the first one carrying a SQLSTATE.
function postgresError(err: unknown): { code?: unknown; constraint_name?: unknown } | undefined {
  for (const e of causeChain(err)) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e as { code?: unknown; constraint_name?: unknown };
  }
  return undefined;
}

/** True when `err` is a PostgreSQL unique violation (23505), optionally of the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = postgresError(err);
  return e?.code === "23505" && (constraint === undefined || e.constraint_name === constraint);
}

/** True when `err` is a PostgreSQL CHECK violation (23514), optionally of the named constraint. */
export function isCheckViolation(err: unknown, constraint?: string): boolean {
  const e = postgresError(err);
  return e?.code === "23514" && (constraint === undefined || e.constraint_name === constraint);
}

/**
 * Runs `step(batchSize)` (which handles at most that many rows and says how many it did) again
 * and again until a batch comes back short, and resolves to the total. Housekeeping deletes in
 * small batches so each is a short statement, never one long lock-holder.
 */
export async function drainInBatches(step: (limit: number) => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step(batchSize);
    total += n;
    if (n < batchSize) return total;
  }
}
