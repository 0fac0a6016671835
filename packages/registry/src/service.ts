// The RegistryService RPCs, each group in rpcs/, spread together.
import type { ServiceImpl } from "@connectrpc/connect";
import type { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import type { Clock } from "@triphub/platform";
import type { EventFeed } from "@triphub/platform/events";
import { lookupRpcs } from "./rpcs/lookup-rpcs.js";
import { registrationRpcs } from "./rpcs/registration-rpcs.js";
import { watchRpc } from "./rpcs/watch-rpc.js";
import type { InstanceStore } from "./store/instance-store.js";

/** What the RPCs need: the store, the feed that wakes watchers, and the clock. */
export interface RegistryServiceDeps {
  store: InstanceStore;
  feed: EventFeed;
  /** How often watchers re-read without a notification (default 5 s). */
  pollMs?: number;
  now: Clock;
}

/** Every RegistryService RPC. */
export function createRegistryService(d: RegistryServiceDeps): ServiceImpl<typeof RegistryService> {
  return {
    ...registrationRpcs(d),
    ...lookupRpcs(d),
    // 30 s: the contract's promise of a message at least that often.
    ...watchRpc({ store: d.store, feed: d.feed, pollMs: d.pollMs ?? 5_000, keepAliveMs: 30_000, now: d.now }),
  };
}
