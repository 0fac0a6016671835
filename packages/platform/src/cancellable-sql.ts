import type postgres from "postgres";

/** What postgres.js's queries have beyond being promises (its `PendingQuery`). */
export interface QueryLike extends Promise<unknown> {
  /** True while the statement runs on a connection. */
  active: boolean;
  cancel(): Promise<void> | undefined;
}

const isQuery = (x: unknown): x is QueryLike =>
  x instanceof Promise && typeof (x as Partial<QueryLike>).cancel === "function" && "active" in x;

// The ways a postgres.js client hands out something that makes queries.
const MAKES_QUERIES = new Set<PropertyKey>(["unsafe", "file"]);
const HANDS_OUT_CLIENTS = new Set<PropertyKey>(["begin", "savepoint"]);

/**
 * `sql` whose statements are cancelled on the server when the signal in effect where each was
 * made (`signalOf()`, the RPC's) aborts, and which refuses to start statements for a call that
 * has already ended. Transactions (`begin`, `savepoint`) and reserved connections are covered
 * too; statements made outside any call (jobs) are left alone.
 *
 * Only statements running on a connection are cancelled (PostgreSQL's cancel request): the
 * driver's own cancellation of a statement still waiting for a connection can leave that
 * connection unusable, so such a statement runs when its turn comes, bounded by the
 * pool's statement_timeout. `onQuery` sees every query made (for metrics).
 */
export function cancelOnAbort<S extends postgres.Sql>(sql: S, signalOf: () => AbortSignal | undefined, onQuery?: (query: QueryLike) => void): S {
  const watch = <T>(made: T): T => {
    if (!isQuery(made)) return made;
    onQuery?.(made);
    const signal = signalOf();
    if (signal === undefined) return made;
    if (signal.aborted) throw new Error("the call has ended; statement not started", { cause: signal.reason });
    const cancel = () => {
      if (made.active) made.cancel()?.catch(() => {});
    };
    signal.addEventListener("abort", cancel, { once: true });
    // Promise's own then: postgres.js's then() would start the query (fragments never start).
    const forget = () => signal.removeEventListener("abort", cancel);
    Promise.prototype.then.call(made, forget, forget);
    return made;
  };
  const wrapClient = (value: unknown): unknown =>
    typeof value === "function" && "unsafe" in value ? cancelOnAbort(value as postgres.Sql, signalOf, onQuery) : value;
  return new Proxy(sql, {
    apply: (target, self, args) => watch(Reflect.apply(target, self, args)),
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (MAKES_QUERIES.has(prop)) return (...args: unknown[]) => watch(Reflect.apply(value, target, args));
      if (HANDS_OUT_CLIENTS.has(prop)) {
        // The callback gets the transaction's client: wrap it, so its statements are watched too.
        return (...args: unknown[]) =>
          Reflect.apply(
            value,
            target,
            args.map((a) => (typeof a === "function" ? (client: unknown) => (a as (c: unknown) => unknown)(wrapClient(client)) : a)),
          );
      }
      if (prop === "reserve") return async (...args: unknown[]) => wrapClient(await Reflect.apply(value, target, args));
      return value;
    },
  });
}
