// WatchInstances: the healthy instances now, then again after every change, and every 30 s.
import type { ServiceImpl } from "@connectrpc/connect";
import type { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import type { Clock } from "@triphub/platform";
import type { EventFeed } from "@triphub/platform/events";
import { isHealthy, membershipKey } from "../domain/instance.js";
import { toProtoInstance } from "../proto-mapping/instance.js";
import type { InstanceStore } from "../store/instance-store.js";

/** What WatchInstances needs. */
export interface WatchRpcDeps {
  store: InstanceStore;
  /** Woken by every registry's NOTIFY after a change (LISTEN), and by a poll. */
  feed: EventFeed;
  /** The poll: the longest a missed notification (or a lease lapsing between sweeps) delays a change. */
  pollMs: number;
  /** How long a stream goes without a message before the unchanged snapshot is sent again. */
  keepAliveMs: number;
  now: Clock;
}

/**
 * Each stream re-reads its snapshot whenever any registry on the shared database notifies a
 * change (so a registration through another registry instance reaches it too), and at least
 * every `pollMs`; it sends only when who is healthy changed, or as a keep-alive. Streams end
 * when the server shuts down; clients reconnect to another instance.
 */
export function watchRpc(d: WatchRpcDeps): Pick<ServiceImpl<typeof RegistryService>, "watchInstances"> {
  return {
    async *watchInstances(req, ctx) {
      let sent: string | undefined;
      let sentAt = 0;
      while (!ctx.signal.aborted && !d.feed.closed.aborted) {
        // Waiting starts before the read, so a change committed during it still wakes this loop.
        const woken = d.feed.wait(Math.min(d.pollMs, d.keepAliveMs), ctx.signal);
        const snap = await d.store.snapshot(req.serviceName || undefined);
        const now = d.now();
        const healthy = snap.instances.filter((i) => isHealthy(i, now));
        const key = membershipKey(healthy);
        if (key !== sent || performance.now() - sentAt >= d.keepAliveMs) {
          sent = key;
          sentAt = performance.now();
          yield { instances: healthy.map((i) => toProtoInstance(i, now)), revision: BigInt(snap.revision) };
        }
        await woken;
      }
    },
  };
}
