import { AsyncLocalStorage } from "node:async_hooks";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

const current = new AsyncLocalStorage<AbortSignal>();

/**
 * The signal of the RPC in progress (its deadline, its client going away, or shutdown past
 * the drain timeout), for work started on its behalf; undefined outside an RPC (jobs).
 */
export function callSignal(): AbortSignal | undefined {
  return current.getStore();
}

/**
 * Runs `work` outside any call's scope: for work one call starts that others share (a cache
 * load that concurrent callers wait for), which must not end when the first caller leaves.
 */
export function outsideCall<T>(work: () => T): T {
  return current.exit(work);
}

/**
 * Makes each call's signal the {@link callSignal} of everything its handler runs, so the
 * database cancels the call's statements when it is abandoned. A handler that fails after
 * its call was abandoned reports why the call ended (DEADLINE_EXCEEDED or CANCELED), not the
 * error the abandonment caused inside it (a cancelled statement would read as INTERNAL).
 */
export function callScopeInterceptor(): Interceptor {
  return (next) => async (req) => {
    const signal = req.signal;
    const ended = (e: unknown) => (signal.aborted && !(e instanceof ConnectError) ? whyEnded(signal.reason, e) : e);
    try {
      const res = await current.run(signal, () => next(req));
      if (!res.stream) return res;
      // A server stream's generator runs each time the transport pulls a message, outside
      // this call; run every pull in the call's scope.
      const messages = res.message[Symbol.asyncIterator]();
      return {
        ...res,
        message: {
          [Symbol.asyncIterator]: () => ({
            next: () => current.run(signal, () => messages.next()).catch((e: unknown) => Promise.reject(ended(e))),
            return: (value?: unknown) => current.run(signal, () => messages.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })),
          }),
        },
      };
    } catch (e) {
      throw ended(e);
    }
  };
}

function whyEnded(reason: unknown, cause: unknown): ConnectError {
  if (reason instanceof ConnectError) return new ConnectError(reason.rawMessage, reason.code, undefined, undefined, cause);
  return new ConnectError("the call was cancelled", Code.Canceled, undefined, undefined, cause);
}
