import type { DescMessage, DescMethodStreaming, MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type StreamResponse, type Transport } from "@connectrpc/connect";
import type { InstanceResolver, ServiceInstance } from "./instance-resolver.js";
import { createInstancePool, type InstanceTransportFactory, type Member } from "./instance-pool.js";
import { type EjectionOptions, outlierEjection } from "./outlier-ejection.js";
import type { PickPolicy } from "./pick-policy.js";
import { failureKind, mayRepeat, retryClassOf } from "./retry-safety.js";

/** Options of {@link createBalancedTransport}. */
export interface BalancedTransportOptions {
  /** The name the resolver knows the service by (e.g. `accommodation`); error messages name it too. */
  service: string;
  resolver: InstanceResolver;
  /** The transport of one instance (gRPC for services, the upstream transport for the gateway). */
  transportFor: InstanceTransportFactory;
  /** Default `least-outstanding` (see {@link PickPolicy} for why). */
  policy?: PickPolicy;
  ejection?: EjectionOptions;
  /** Most instances one call is tried on, the first included. Default 3. */
  maxAttempts?: number;
  /** The deadline of a call that sets none, in ms; every attempt fits inside it. Default: none. */
  defaultTimeoutMs?: number;
  /** Longest a call waits for the resolver's first list (within its deadline), in ms. Default 2 000. */
  resolveTimeoutMs?: number;
  now?: () => number;
}

/** A Connect transport over every instance of one service; see {@link createBalancedTransport}. */
export interface BalancedTransport extends Transport {
  /** The instances the resolver names now. */
  instances(): readonly ServiceInstance[];
  /** Stops following the resolver and closes every instance's connections. */
  close(): Promise<void>;
}

/**
 * A transport that spreads the calls of one service over the instances its resolver names. Per
 * call it picks an instance (policy), calls it through that instance's own transport (made on
 * first use, closed when the instance leaves the list), and learns from the outcome: an
 * instance that fails calls in a row is ejected for a while (never the last one in rotation).
 *
 * A call the instance failed (UNAVAILABLE, a refused or reset connection, a stream cancelled
 * under it) is tried again on another instance when running it twice is harmless: a read (see
 * `retryClassOf`), a write whose request carries its idempotency key, or any call whose
 * connection never opened (the instance saw nothing). Answers such as NOT_FOUND are never
 * retried. Every attempt runs within the caller's deadline, never past it. Streams: a server
 * stream of a read is tried again only if it fails before it opens; other streams are not.
 */
export function createBalancedTransport(opts: BalancedTransportOptions): BalancedTransport {
  const now = opts.now ?? Date.now;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const resolveTimeoutMs = opts.resolveTimeoutMs ?? 2_000;
  const pool = createInstancePool({
    service: opts.service,
    resolver: opts.resolver,
    transportFor: opts.transportFor,
    policy: opts.policy ?? "least-outstanding",
    ejection: outlierEjection(opts.ejection),
    now,
  });

  // As connect-es: no timeout, or one of 0 or less, means no deadline.
  const deadlineOf = (timeoutMs: number | undefined) => {
    const t = timeoutMs ?? opts.defaultTimeoutMs;
    return t === undefined || t <= 0 ? undefined : now() + t;
  };
  const remainingOf = (deadline: number | undefined) => (deadline === undefined ? undefined : deadline - now());

  async function waitForList(deadline: number | undefined) {
    if (pool.size() > 0) return;
    await pool.known(Math.min(resolveTimeoutMs, remainingOf(deadline) ?? resolveTimeoutMs));
  }

  const noInstance = () =>
    new ConnectError(`no instance of ${opts.service} is known: none registered, or none reachable to ask`, Code.Unavailable);

  /**
   * Runs `attempt` on one instance after another until it succeeds, fails in a way that may
   * not be repeated, runs out of instances or attempts, or the deadline passes. `resendable`:
   * the request can be sent again at all; `repeatable`: running it twice is harmless.
   */
  async function tryInstances<R>(
    signal: AbortSignal | undefined,
    deadline: number | undefined,
    { resendable, repeatable }: { resendable: boolean; repeatable: boolean },
    attempt: (m: Member, timeoutMs: number | undefined) => Promise<R>,
  ): Promise<R> {
    await waitForList(deadline);
    const tried = new Set<Member>();
    let last: unknown;
    for (let n = 0; ; n++) {
      const m = pool.pick(tried);
      if (m === undefined) throw last ?? noInstance();
      const remaining = remainingOf(deadline);
      if (remaining !== undefined && remaining <= 0) {
        throw new ConnectError(`the deadline passed before ${opts.service} answered`, Code.DeadlineExceeded, undefined, undefined, last);
      }
      tried.add(m);
      pool.begin(m);
      try {
        const res = await attempt(m, remaining);
        pool.end(m, "ok");
        return res;
      } catch (e) {
        const gaveUp = signal?.aborted === true || (deadline !== undefined && now() >= deadline);
        const kind = failureKind(e, gaveUp);
        pool.end(m, kind === "answer" ? (gaveUp ? "neither" : "ok") : "failed");
        last = e;
        const again = n + 1 < maxAttempts && resendable && (kind === "unreached" || (kind === "instance" && repeatable));
        if (!again) throw e;
      }
    }
  }

  return {
    unary(method, signal, timeoutMs, header, input, contextValues) {
      const deadline = deadlineOf(timeoutMs);
      return tryInstances(signal, deadline, { resendable: true, repeatable: mayRepeat(method, input) }, (m, remaining) =>
        m.transport().unary(method, signal, remaining, header, input, contextValues),
      );
    },

    async stream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodStreaming<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: Parameters<Transport["stream"]>[3],
      input: AsyncIterable<MessageInitShape<I>>,
      contextValues?: Parameters<Transport["stream"]>[5],
    ): Promise<StreamResponse<I, O>> {
      const deadline = deadlineOf(timeoutMs);
      // A server stream's one request is kept, so a read can be sent again if its first
      // instance fails before the stream opens. Other streams send what the caller yields as it
      // yields it: that cannot be replayed, so they are tried once.
      const replayable = method.methodKind === "server_streaming" && retryClassOf(method).safe;
      const request = replayable ? await collect(input) : undefined;
      // A stream counts for its instance until it opens: long-lived feeds would otherwise
      // weigh on least-outstanding as if they were calls waiting for an answer.
      return tryInstances(signal, deadline, { resendable: replayable, repeatable: replayable }, (m, remaining) =>
        m.transport().stream(method, signal, remaining, header, request ? replay(request) : input, contextValues),
      );
    },

    instances: () => pool.instances(),
    close: () => pool.close(),
  };
}

async function collect<T>(input: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const m of input) out.push(m);
  return out;
}

async function* replay<T>(messages: readonly T[]): AsyncIterable<T> {
  yield* messages;
}
