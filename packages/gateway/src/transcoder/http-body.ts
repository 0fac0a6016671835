import type { DescField, DescMessage, Message } from "@bufbuild/protobuf";
import { type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";

// google.api.HttpBody (google/api/httpbody.proto) carries raw bytes in place of JSON, as
// grpc-gateway (runtime.HTTPBodyMarshaler, the default since v2) and Envoy's gRPC-JSON
// transcoder ("Sending arbitrary content") pass it: `data` is the HTTP body and `content_type`
// its Content-Type, in both directions. It is recognised by its full name, like Envoy does, so
// any generated copy of httpbody.proto works and the transcoder needs none of its own.

/** The full proto name of google.api.HttpBody. */
export const HTTP_BODY = "google.api.HttpBody";

/** Whether a message type is google.api.HttpBody. */
export const isHttpBody = (message: DescMessage): boolean => message.typeName === HTTP_BODY;

/** The Content-Type sent when an HttpBody leaves content_type empty (RFC 9110 §8.3: unknown bytes). */
export const DEFAULT_HTTP_BODY_TYPE = "application/octet-stream";

/**
 * Where an HttpBody sits in a request or response message: the message itself (`body: "*"`, or
 * a response without `response_body`), or one of its top-level fields (`body: "file"`,
 * `response_body: "file"`).
 */
export interface HttpBodySlot {
  field?: DescField & { fieldKind: "message" };
  contentType: DescField;
  data: DescField;
}

/** The raw parts of an HttpBody. */
export interface RawBody {
  contentType: string;
  data: Uint8Array;
}

/** The slot of an HttpBody in `message` (at `field` when given), or undefined when there is none. */
export function httpBodySlot(message: DescMessage, field?: DescField): HttpBodySlot | undefined {
  if (field && field.fieldKind !== "message") return undefined;
  const body = field ? field.message : message;
  if (!isHttpBody(body)) return undefined;
  const contentType = body.fields.find((f) => f.name === "content_type");
  const data = body.fields.find((f) => f.name === "data");
  if (!contentType || !data) throw new Error(`${HTTP_BODY} without content_type and data fields`);
  return { field, contentType, data };
}

/** Reads the HttpBody out of a message; an unset field is an empty body. */
export function readHttpBody(slot: HttpBodySlot, desc: DescMessage, message: Message): RawBody {
  let body: ReflectMessage = reflect(desc, message);
  if (slot.field) {
    if (!body.isSet(slot.field)) return { contentType: "", data: new Uint8Array(0) };
    body = body.get(slot.field);
  }
  const contentType = body.get(slot.contentType);
  const data = body.get(slot.data);
  return { contentType: typeof contentType === "string" ? contentType : "", data: data instanceof Uint8Array ? data : new Uint8Array(0) };
}

/** Puts the raw request body and its Content-Type into the message's HttpBody, replacing what was there. */
export function writeHttpBody(slot: HttpBodySlot, desc: DescMessage, message: Message, raw: RawBody): void {
  const target = reflect(desc, message);
  const body = slot.field ? reflect(slot.field.message) : target;
  body.set(slot.contentType, raw.contentType);
  body.set(slot.data, raw.data);
  if (slot.field) target.set(slot.field, body);
}
