import { streamsRequest, type CompiledRoute } from "./routes.js";

// Which request bodies a route takes. A JSON body must say it is JSON: otherwise a browser's
// "simple" cross-site request (text/plain, application/x-www-form-urlencoded,
// multipart/form-data, or no type at all: no CORS preflight asks the API first) could post a
// JSON-shaped body to it. A body bound to a google.api.HttpBody is raw bytes of any type, as
// grpc-gateway and Envoy pass it.
//
// The refusal is 415 with INVALID_ARGUMENT, as gRPC servers answer a Content-Type they cannot
// read (grpc-go's server: HTTP 415, `grpc-status: 3`, "invalid gRPC request content-type";
// the gRPC over HTTP/2 spec: "servers SHOULD respond with HTTP status of 415"). grpc-gateway
// itself falls back to its JSON marshaler for any type, which is the hole closed here.

// The framings a streamed body may say it has, besides JSON itself (json-stream.ts reads
// them all: JSON values one after another).
const STREAM_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"]);

/** The media type of a Content-Type header, lower-case, without parameters. */
export function mediaTypeOf(header: string): string {
  const semi = header.indexOf(";");
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

const isJson = (type: string) => type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));

/**
 * Whether a route accepts a body of this Content-Type (null: none was sent): JSON
 * (`application/json`, any `application/*+json`, with or without parameters such as charset)
 * for every route, newline-delimited JSON too for client and bidi streams, anything for a
 * google.api.HttpBody.
 */
export function acceptsContentType(route: CompiledRoute, header: string | null): boolean {
  if (route.requestHttpBody) return true;
  if (header === null) return false;
  const type = mediaTypeOf(header);
  return isJson(type) || (streamsRequest(route.kind) && STREAM_TYPES.has(type));
}
