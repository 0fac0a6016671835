import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { copyResponseHeaders } from "./response-headers.js";
import { unaryResponse } from "./response.js";
import { cancelOnClientGone, type StreamCall } from "./stream-call.js";
import type { TranscodeResponse } from "./transcoder.js";

/**
 * Calls a client-streaming method with the messages read from the body (`input`, sent on as
 * they arrive) and answers like a unary call: its one response as JSON (or its `response_body`
 * field, or raw google.api.HttpBody bytes), as grpc-gateway forwards it with
 * ForwardResponseMessage. Throws what fails, for the transcoder's error response; a bad
 * message in the body is INVALID_ARGUMENT, HTTP 400, since nothing has been answered yet.
 */
export async function callClientStream(call: StreamCall): Promise<TranscodeResponse> {
  const { ctx, route, input, abort, metadata, req } = call;
  const method = route.info.method as DescMethod & { methodKind: "client_streaming" };
  const close = cancelOnClientGone(abort, req.signal);
  try {
    const res = await ctx.transport.stream(method, abort.signal, ctx.timeoutMs, metadata, input.messages);
    const messages = res.message[Symbol.asyncIterator]();
    const first = await messages.next();
    // Reading on to the end takes in the status that follows the message. Exactly one message,
    // as connect-es's client-streaming client insists.
    if (first.done) throw new ConnectError("protocol error: missing response message", Code.Unimplemented);
    if (!(await messages.next()).done) throw new ConnectError("protocol error: received extra messages for client streaming method", Code.Unimplemented);
    const headers = copyResponseHeaders(res.header, ctx.pass);
    const { headers: own, body } = unaryResponse(route, first.value, ctx.registry);
    for (const [k, v] of own) headers.set(k, v);
    return { status: 200, headers, body };
  } catch (e) {
    // A request side that failed aborted the call: its error, not the CANCELED it caused.
    throw input.failure() ?? e;
  } finally {
    close();
  }
}
