import type { QueryLike } from "../cancellable-sql.js";
import { metricCounter, observeGauge } from "./registry.js";

const queriesMade = metricCounter({
  name: "triphub_db_queries_total",
  help: "Statements made through the service's pool (and its transactions).",
  labelNames: ["pool"],
});

/** What a pool reports: see {@link observePool}. */
export interface PoolObserver {
  /** Give it every query the pool makes (cancelOnAbort's `onQuery`). */
  onQuery(query: QueryLike): void;
  /** Stops reporting the pool (on close). */
  stop(): void;
}

/**
 * Metrics of a postgres.js pool: its configured size and the statements running on its
 * connections now (how busy the pool is; at the size, new statements queue). postgres.js keeps
 * its connection counts to itself, so the running statements are counted from the queries made:
 * each is held weakly until it settles (a fragment embedded in another query never runs, and is
 * simply forgotten).
 */
export function observePool(pool: string, max: number): PoolObserver {
  const made = new Set<WeakRef<QueryLike>>();
  const running = () => {
    let n = 0;
    for (const ref of made) {
      const q = ref.deref();
      if (q === undefined) made.delete(ref);
      else if (q.active) n++;
    }
    return n;
  };
  const labels = { pool };
  const stops = [
    observeGauge({ name: "triphub_db_pool_max_connections", help: "Connections the pool may open (its configured size).", labelNames: ["pool"] }, () => [
      { labels, value: max },
    ]),
    observeGauge({ name: "triphub_db_queries_active", help: "Statements running on the pool's connections now.", labelNames: ["pool"] }, () => [
      { labels, value: running() },
    ]),
  ];
  return {
    onQuery(query) {
      queriesMade.inc(labels);
      const ref = new WeakRef(query);
      made.add(ref);
      const forget = () => made.delete(ref);
      // Promise's own then: postgres.js's then() would start the query.
      Promise.prototype.then.call(query, forget, forget);
    },
    stop() {
      for (const stop of stops) stop();
      made.clear();
    },
  };
}
