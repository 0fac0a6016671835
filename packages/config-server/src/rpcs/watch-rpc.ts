// WatchConfig: the latest version when it is newer than the caller's, then every new one.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import type { EventFeed } from "@triphub/platform/events";
import { toSnapshot } from "../proto-mapping/config-snapshot.js";
import type { ConfigStore } from "../store/config-store.js";

/** What WatchConfig needs. */
export interface WatchRpcDeps {
  store: ConfigStore;
  /** Woken by every config server's NOTIFY after a write (LISTEN), and by a poll. */
  feed: EventFeed;
  /** The poll: the longest a missed notification delays a change. */
  pollMs: number;
}

/**
 * Each stream re-reads its pair's latest version whenever any write on the shared database is
 * notified (so a write through another config server instance reaches it too), and at least
 * every `pollMs`. Streams end when the server shuts down; services reconnect to another
 * instance and resume after the version they have.
 */
export function watchRpc(d: WatchRpcDeps): Pick<ServiceImpl<typeof ConfigService>, "watchConfig"> {
  return {
    async *watchConfig(req, ctx) {
      let after = Number(req.afterVersion);
      while (!ctx.signal.aborted && !d.feed.closed.aborted) {
        // Waiting starts before the read, so a write committed during it still wakes this loop.
        const woken = d.feed.wait(d.pollMs, ctx.signal);
        const latest = await d.store.latest(req.service, req.environment);
        if (latest && latest.version > after) {
          after = latest.version;
          yield { config: toSnapshot(latest) };
        }
        await woken;
      }
    },
  };
}
