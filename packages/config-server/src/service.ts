// The ConfigService RPCs, each group in rpcs/, spread together.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import type { Clock } from "@triphub/platform";
import type { EventFeed } from "@triphub/platform/events";
import { configRpcs } from "./rpcs/config-rpcs.js";
import { watchRpc } from "./rpcs/watch-rpc.js";
import type { ConfigStore } from "./store/config-store.js";

/** What the RPCs need: the store, the feed that wakes watchers, and the clock. */
export interface ConfigServiceDeps {
  store: ConfigStore;
  feed: EventFeed;
  /** How often watchers re-read without a notification (default 5 s). */
  pollMs?: number;
  now: Clock;
}

/** Every ConfigService RPC. */
export function createConfigService(d: ConfigServiceDeps): ServiceImpl<typeof ConfigService> {
  return {
    ...configRpcs(d),
    ...watchRpc({ store: d.store, feed: d.feed, pollMs: d.pollMs ?? 5_000 }),
  };
}
