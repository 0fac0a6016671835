import type { Transport } from "@connectrpc/connect";
import type { InstanceResolver, ServiceInstance } from "./instance-resolver.js";
import { type EjectionState, freshEjectionState, type OutlierEjection } from "./outlier-ejection.js";
import { createPicker, type PickPolicy } from "./pick-policy.js";

/** A transport to one instance; `close` (when present) ends its connections once it leaves the list. */
export type InstanceTransport = Transport & { close?(): void | Promise<void> };

/** Makes the transport of one instance from its base URL. Called lazily, once per instance. */
export type InstanceTransportFactory = (url: string) => InstanceTransport;

/** One instance as the balancer tracks it. */
export interface Member extends EjectionState {
  readonly instance: ServiceInstance;
  /** Calls in flight to it from this client. */
  outstanding: number;
  /** Its transport, made on first use. */
  transport(): Transport;
}

interface MemberState extends Member {
  retired: boolean;
  made?: InstanceTransport;
}

/** The instances of one service a balanced transport picks from, kept current by the resolver. */
export interface InstancePool {
  /** Resolves once the resolver has named the instances (possibly none), or after `maxWaitMs`. */
  known(maxWaitMs: number): Promise<void>;
  /** An instance not in `tried`, preferring those in rotation; undefined when there is none. */
  pick(tried: ReadonlySet<Member>): Member | undefined;
  /** How many instances the last list named. */
  size(): number;
  /** The instances the last list named. */
  instances(): readonly ServiceInstance[];
  begin(m: Member): void;
  /** A call ended: the instance answered it (`ok`), failed it (`failed`), or the caller left (`neither`). */
  end(m: Member, outcome: "ok" | "failed" | "neither"): void;
  close(): Promise<void>;
}

/** Options of {@link createInstancePool}. */
export interface InstancePoolOptions {
  service: string;
  resolver: InstanceResolver;
  transportFor: InstanceTransportFactory;
  policy: PickPolicy;
  ejection: OutlierEjection;
  now: () => number;
}

/** Follows `service` on the resolver; instances that leave the list are closed once their calls end. */
export function createInstancePool(opts: InstancePoolOptions): InstancePool {
  const { ejection, now } = opts;
  const pickFrom = createPicker(opts.policy);
  let members: MemberState[] = [];
  let listed = false;
  const waiting = new Set<() => void>();

  const closeTransport = (m: MemberState) => {
    const t = m.made;
    m.made = undefined;
    // A failure to close a connection that is going away anyway changes nothing for callers.
    if (t?.close) void Promise.resolve(t.close()).catch(() => {});
  };

  const member = (instance: ServiceInstance): MemberState => {
    const m: MemberState = {
      ...freshEjectionState(),
      instance,
      outstanding: 0,
      retired: false,
      transport() {
        m.made ??= opts.transportFor(instance.url);
        return m.made;
      },
    };
    return m;
  };

  const unsubscribe = opts.resolver.watch(opts.service, (list) => {
    const before = new Map(members.map((m) => [m.instance.id, m]));
    members = list.map((instance) => {
      const kept = before.get(instance.id);
      if (kept && kept.instance.url === instance.url) {
        before.delete(instance.id);
        return kept;
      }
      return member(instance);
    });
    // Gone (or moved): calls in flight on them finish; the connection closes after the last.
    for (const gone of before.values()) {
      gone.retired = true;
      if (gone.outstanding === 0) closeTransport(gone);
    }
    listed = true;
    for (const wake of waiting) wake();
    waiting.clear();
  });

  return {
    known(maxWaitMs) {
      if (listed || maxWaitMs <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        waiting.add(done);
      });
    },
    pick(tried) {
      const untried = members.filter((m) => !tried.has(m));
      if (untried.length === 0) return undefined;
      const t = now();
      const inRotation = untried.filter((m) => !ejection.isEjected(m, t));
      // Every one left is ejected (the others were tried or left the list): a call to an
      // ejected instance may still work, and failing without trying cannot.
      return pickFrom(inRotation.length > 0 ? inRotation : untried);
    },
    size: () => members.length,
    instances: () => members.map((m) => m.instance),
    begin(m) {
      m.outstanding++;
    },
    end(m, outcome) {
      const s = m as MemberState;
      s.outstanding--;
      const t = now();
      if (outcome === "ok") ejection.succeeded(s, t);
      else if (outcome === "failed" && !s.retired) {
        const others = members.filter((o) => o !== s && !ejection.isEjected(o, t)).length;
        ejection.failed(s, t, others);
      }
      if (s.retired && s.outstanding === 0) closeTransport(s);
    },
    async close() {
      unsubscribe();
      for (const wake of waiting) wake();
      waiting.clear();
      for (const m of members) closeTransport(m);
      members = [];
    },
  };
}
