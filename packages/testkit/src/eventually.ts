import { setTimeout as sleep } from "node:timers/promises";

/**
 * Waits until `check` passes (it throws until then), trying every 50 ms for up to `ms`; then
 * throws its last error. For what another process or a background job does in its own time.
 */
export async function eventually<T>(check: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > until) throw e;
      await sleep(50);
    }
  }
}
