import { type DescField, type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { invalidField } from "./errors.js";

// The Idempotency-Key header (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/)
// carried into a request field, for RPCs whose request already has one (a client-generated
// request id). REST clients set the header, as with Stripe's or PayPal's APIs; the service sees
// one field either way, and keeps its own rules for the value (format, replay).

/** The request header, lower-case as Headers looks it up. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** Longest header value taken (Stripe's limit); a longer one is INVALID_ARGUMENT. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * The top-level field of `message` named `name` (proto name), checked to be a singular string
 * field outside any oneof; otherwise the reason it cannot take the header.
 */
export function idempotencyKeyField(message: DescMessage, name: string): DescField | string {
  const field = message.fields.find((f) => f.name === name);
  if (!field) return `idempotency key field "${name}" not found in ${message.typeName} (a top-level field, by its proto name)`;
  if (field.fieldKind !== "scalar" || field.scalar !== ScalarType.STRING) return `idempotency key field "${name}" of ${message.typeName} must be a singular string field`;
  // Setting one member of a oneof would silently clear another the client set.
  if (field.oneof) return `idempotency key field "${name}" of ${message.typeName} must not be in a oneof`;
  return field;
}

/**
 * The key a request carries: the header's value, unquoted when it is written as a structured
 * field string (`"…"`, the draft's form); undefined for no header or an empty one. Throws
 * INVALID_ARGUMENT, naming `field`, for a value past {@link MAX_IDEMPOTENCY_KEY_LENGTH}.
 */
export function idempotencyKeyOf(header: string | null, field: DescField): string | undefined {
  if (!header) return undefined;
  if (header.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalidField(field.name, `the Idempotency-Key header must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, "$1") : header;
  return key === "" ? undefined : key;
}

/**
 * Puts the key into the request: fills the field when the request left it empty, accepts the
 * same value, and refuses a different one (INVALID_ARGUMENT naming the field), since the
 * client would otherwise not know which of its two ids the service used.
 */
export function applyIdempotencyKey(input: DescMessage, message: Message, field: DescField, key: string): void {
  const r = reflect(input, message);
  const current = r.get(field);
  if (current === "") r.set(field, key);
  else if (current !== key) throw invalidField(field.name, "differs from the Idempotency-Key header; send one value, or the same in both");
}
