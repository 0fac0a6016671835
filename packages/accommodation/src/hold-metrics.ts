// What the holds of the booking saga report to /metrics: holds made and expired, and how far
// the sweeper is behind (a hold past its TTL still holding rooms nobody can book).
import { metricCounter, observeGauge } from "@triphub/platform";

const created = metricCounter({ name: "triphub_holds_created_total", help: "Inventory holds made (a repeated HoldInventory that returns the existing hold is not counted)." });
const expired = metricCounter({ name: "triphub_holds_expired_total", help: "Holds nobody confirmed within their TTL that the sweeper expired, giving their units back." });

/** Counts a hold HoldInventory made (not one it found already made). */
export const countHoldCreated = (): void => created.inc();

/** Counts holds the sweeper expired. */
export const countHoldsExpired = (n: number): void => expired.inc(n);

/**
 * Publishes how long the longest-lapsed hold still held has been past its expiry, read from the
 * database at each scrape; the sweeper keeps it near its interval. Returns the unregister.
 */
export function observeLapsedHolds(read: () => Promise<number>): () => void {
  return observeGauge(
    {
      name: "triphub_holds_lapsed_oldest_seconds",
      help: "How long the longest-lapsed hold that still holds rooms has been past its expiry (0: none).",
      aggregate: "max",
    },
    async () => [{ value: await read() }],
  );
}
