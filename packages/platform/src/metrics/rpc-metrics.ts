import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { metricCounter, metricGauge, metricHistogram } from "./registry.js";

// Labels are the contract's names (bounded by what the service hosts) and the outcome code:
// never a request's content.
const requests = metricCounter({
  name: "triphub_rpc_server_requests_total",
  help: "RPCs handled, by service, method and outcome code (OK or the Connect code name); a stream counts when it ends.",
  labelNames: ["service", "method", "code"],
});
const duration = metricHistogram({
  name: "triphub_rpc_server_duration_seconds",
  help: "Time to handle a unary RPC, from the request to the response or error (streams are left out: they last as long as they are meant to).",
  labelNames: ["service", "method"],
});
const inFlight = metricGauge({
  name: "triphub_rpc_server_in_flight",
  help: "RPCs being handled now (open streams included).",
  labelNames: ["service", "method"],
});

/** The outcome label of an RPC: "OK", or the Connect code's name ("NotFound", "Internal", ...). */
export const codeLabel = (error?: unknown): string => (error === undefined ? "OK" : Code[ConnectError.from(error).code]);

const abandoned = (reason: unknown): ConnectError =>
  reason instanceof ConnectError ? reason : new ConnectError("the call was cancelled", Code.Canceled);

/**
 * RED metrics of every RPC the process serves: requests by outcome, unary latency and calls in
 * flight. It sits outside the error mapper, so it counts the code the caller receives.
 */
export function rpcMetricsInterceptor(): Interceptor {
  return (next) => async (req) => {
    const labels = { service: req.service.typeName, method: req.method.name };
    const started = performance.now();
    const unary = req.method.methodKind === "unary";
    inFlight.inc(labels);
    let open = true;
    const end = (error?: unknown) => {
      if (!open) return;
      open = false;
      inFlight.dec(labels);
      // A handler that finished after its caller left (or its deadline passed) answered nobody.
      const outcome = error ?? (req.signal.aborted ? abandoned(req.signal.reason) : undefined);
      requests.inc({ ...labels, code: codeLabel(outcome) });
    };
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req);
    } catch (e) {
      if (unary) duration.observe(labels, (performance.now() - started) / 1000);
      end(e);
      throw e;
    }
    if (!res.stream) {
      if (unary) duration.observe(labels, (performance.now() - started) / 1000);
      end();
      return res;
    }
    // A server stream's outcome is known when its messages end: wrap the iterator.
    const messages = res.message[Symbol.asyncIterator]();
    return {
      ...res,
      message: {
        [Symbol.asyncIterator]: () => ({
          async next() {
            try {
              const r = await messages.next();
              if (r.done) end();
              return r;
            } catch (e) {
              end(e);
              throw e;
            }
          },
          async return(value?: unknown) {
            // The transport gave up on the stream before its end: the caller left.
            end(new ConnectError("stream abandoned", Code.Canceled));
            return (await messages.return?.(value)) ?? { done: true as const, value: undefined };
          },
        }),
      },
    };
  };
}
