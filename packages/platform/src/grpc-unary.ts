import { Code, ConnectError, createHandlerContext, type MethodImplSpec } from "@connectrpc/connect";
import {
  assertByteStreamRequest,
  type Compression,
  compressionNegotiate,
  contentTypeMatcher,
  createAsyncIterable,
  createMethodUrl,
  createMethodSerializationLookup,
  encodeEnvelope,
  envelopeCompress,
  envelopeDecompress,
  invokeUnaryImplementation,
  type ProtocolHandlerFactory,
  type UniversalHandler,
  type UniversalHandlerOptions,
  type UniversalServerRequest,
  type UniversalServerResponse,
  uResponseMethodNotAllowed,
  uResponseOk,
  uResponseUnsupportedMediaType,
  validateUniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import {
  contentTypeJson,
  contentTypeProto,
  contentTypeRegExp,
  createHandlerFactory,
  grpcStatusOk,
  headerAcceptEncoding,
  headerContentType,
  headerEncoding,
  headerGrpcStatus,
  headerTimeout,
  parseContentType,
  parseTimeout,
  setTrailerStatus,
} from "@connectrpc/connect/protocol-grpc";
import { encodeOnce } from "./unchanging-responses.js";

/**
 * connect-node's gRPC handler, with unary methods served without its streaming pipeline.
 *
 * connect-node runs every gRPC call, unary ones too, through async generators (split, decompress
 * and parse the request envelopes; invoke; serialize, compress and join the response). On the
 * gateway's hot path each backend call is unary gRPC, and those generators cost a service more
 * CPU per call than the whole Connect-protocol call costs it. A unary request is one envelope,
 * so this reads the body once, decodes that envelope and answers with one envelope and the
 * trailers. Codes, messages, details, metadata, deadlines and compression come out as
 * connect-node's (test/grpc-unary.test.ts compares the two byte for byte); streaming methods
 * are connect-node's own handler.
 */
export function createGrpcHandlerFactory(options: Partial<UniversalHandlerOptions>): ProtocolHandlerFactory {
  const opt = validateUniversalHandlerOptions(options);
  const streaming = createHandlerFactory(options);
  const fact = (spec: MethodImplSpec): UniversalHandler => {
    if (spec.kind !== "unary") return streaming(spec);
    return Object.assign(unaryHandler(opt, spec), {
      protocolNames: [fact.protocolName],
      allowedMethods: ["POST"],
      supportedContentType: contentTypeMatcher(contentTypeRegExp),
      requestPath: createMethodUrl("/", spec.method),
      service: spec.method.parent,
      method: spec.method,
    });
  };
  fact.protocolName = streaming.protocolName;
  return fact;
}

type HandlerOptions = ReturnType<typeof validateUniversalHandlerOptions>;

// Why a call's signal fires once it is answered (it releases the deadline timer and the
// listeners on the shutdown and request signals). connect-node aborts without a reason, which
// makes Node build a DOMException with a stack trace on every call: ~3% of a service's CPU.
const CALL_ENDED = new ConnectError("the call has ended", Code.Canceled);

function unaryHandler(opt: HandlerOptions, spec: MethodImplSpec & { kind: "unary" }) {
  const serialization = createMethodSerializationLookup(spec.method, opt.binaryOptions, opt.jsonOptions, opt);
  return async function handle(req: UniversalServerRequest): Promise<UniversalServerResponse> {
    assertByteStreamRequest(req);
    const type = parseContentType(req.header.get(headerContentType));
    if (type === undefined) return uResponseUnsupportedMediaType;
    if (req.method !== "POST") return uResponseMethodNotAllowed;
    const timeout = parseTimeout(req.header.get(headerTimeout), opt.maxTimeoutMs);
    const context = createHandlerContext({
      ...spec,
      service: spec.method.parent,
      requestMethod: req.method,
      protocolName: "grpc",
      timeoutMs: timeout.timeoutMs,
      shutdownSignal: opt.shutdownSignal,
      requestSignal: req.signal,
      requestHeader: req.header,
      url: req.url,
      responseHeader: { [headerContentType]: type.binary ? contentTypeProto : contentTypeJson },
      responseTrailer: { [headerGrpcStatus]: grpcStatusOk },
      contextValues: req.contextValues,
    });
    const compression = compressionNegotiate(
      opt.acceptCompression,
      req.header.get(headerEncoding),
      req.header.get(headerAcceptEncoding),
      headerAcceptEncoding,
    );
    if (compression.response) context.responseHeader.set(headerEncoding, compression.response.name);
    let body: Uint8Array[] = [];
    try {
      if (compression.error) throw compression.error;
      if (timeout.error) throw timeout.error;
      const envelope = await readSingleEnvelope(req.body, opt.readMaxBytes, compression.request);
      const input = serialization.getI(type.binary).parse(envelope);
      const output = await invokeUnaryImplementation(spec, context, input, opt.interceptors);
      const serialize = () => serialization.getO(type.binary).serialize(output);
      const data = type.binary ? encodeOnce(output, serialize) : serialize();
      const out = await envelopeCompress({ flags: 0, data }, compression.response, opt.compressMinBytes);
      body = [encodeEnvelope(out.flags, out.data)];
    } catch (e) {
      context.abort(e);
      setTrailerStatus(context.responseTrailer, e instanceof ConnectError ? e : new ConnectError("internal error", Code.Internal, undefined, undefined, e));
    } finally {
      context.abort(CALL_ENDED);
    }
    return { ...uResponseOk, body: createAsyncIterable(body), header: context.responseHeader, trailer: context.responseTrailer };
  };
}

/**
 * The one request message of a unary call, with connect-node's errors for a body that holds
 * none, more than one, or a torn envelope. The declared length is checked against readMaxBytes
 * as soon as the envelope's header is in, before its bytes are waited for.
 */
async function readSingleEnvelope(body: AsyncIterable<Uint8Array>, readMaxBytes: number, compression: Compression | null): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let length = -1;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (length < 0 && size >= 5) {
      const head = joined(chunks);
      chunks.splice(0, chunks.length, head);
      length = declaredLength(head, 0, readMaxBytes);
    }
  }
  if (size === 0) throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
  const bytes = joined(chunks);
  const end = 5 + length;
  if (length < 0 || size < end) throw incomplete();
  if (size > end) {
    // As connect-node: a second envelope cut short is a torn stream, a whole one an extra message.
    if (size - end < 5 || size - end < 5 + declaredLength(bytes, end, readMaxBytes)) throw incomplete();
    throw new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
  }
  const { data } = await envelopeDecompress({ flags: bytes[0]!, data: bytes.subarray(5, end) }, compression, readMaxBytes);
  return data;
}

function declaredLength(bytes: Uint8Array, offset: number, readMaxBytes: number): number {
  const length = new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 4).getUint32(0);
  if (length > readMaxBytes) throw new ConnectError(`message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`, Code.ResourceExhausted);
  return length;
}

const joined = (chunks: Uint8Array[]): Uint8Array => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
const incomplete = () => new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
