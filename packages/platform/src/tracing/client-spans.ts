import { context, propagation, SpanKind } from "@opentelemetry/api";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { isServerFault } from "../errors.js";
import { failed, inSpan } from "./spans.js";
import { isTracing } from "./tracing-setup.js";

const setHeader = { set: (h: Headers, key: string, value: string) => h.set(key, value) };

/** `header` with the active span's W3C trace context added. */
function withTraceContext(header: ConstructorParameters<typeof Headers>[0]): Headers {
  const headers = new Headers(header);
  propagation.inject(context.active(), headers, setHeader);
  return headers;
}

/**
 * `transport` with a CLIENT span around every unary call, whose W3C trace context
 * (`traceparent`) the call carries, so the called service's span is its child. A streaming
 * call carries the active span's context (no span of its own: a stream may stay open for
 * hours). With tracing off, `transport` itself.
 */
export function tracedTransport(transport: Transport): Transport {
  if (!isTracing()) return transport;
  return {
    unary(method, signal, timeoutMs, header, input, contextValues) {
      const attributes = { "rpc.system": "grpc", "rpc.service": method.parent.typeName, "rpc.method": method.name };
      return inSpan(`${method.parent.typeName}/${method.name}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const res = await transport.unary(method, signal, timeoutMs, withTraceContext(header), input, contextValues);
          span?.setAttribute("rpc.grpc.status_code", 0);
          return res;
        } catch (e) {
          const code = ConnectError.from(e).code;
          span?.setAttribute("rpc.grpc.status_code", code);
          // A refusal (NOT_FOUND, FAILED_PRECONDITION) is an answer, not a fault of the call.
          if (span && isServerFault(code)) failed(span, e, Code[code]);
          throw e;
        }
      });
    },
    stream: (method, signal, timeoutMs, header, input, contextValues) =>
      transport.stream(method, signal, timeoutMs, withTraceContext(header), input, contextValues),
  };
}
