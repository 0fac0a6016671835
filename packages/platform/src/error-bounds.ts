import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { type Violation, ViolationSchema, ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError } from "@connectrpc/connect";
import { type BadRequest_FieldViolation, BadRequest_FieldViolationSchema, BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";

/** The most field violations an error carries; the message counts the rest. */
export const MAX_VIOLATIONS = 20;
// A violation's description, rule id and field path; long CEL messages and deep paths exist.
const MAX_TEXT = 200;
// The message travels as grpc-message, percent-encoded: up to 9 bytes a character.
const MAX_MESSAGE = 400;
// Each list of violations, encoded, and then all details together. The details travel base64
// in the grpc-status-details-bin trailer, and HTTP/2 peers refuse header blocks past 8-16 KB
// (the stream is reset and the caller sees INTERNAL instead of the real error).
const VIOLATIONS_BYTES = 2_500;
const DETAILS_BYTES = 5_500;

type Detail = ConnectError["details"][number];

/**
 * The error with details and message small enough for any HTTP/2 trailer: at most
 * {@link MAX_VIOLATIONS} field violations (in both `buf.validate.Violations` and
 * `google.rpc.BadRequest`, the same ones), each text cut short, the message saying how many
 * were left out, and details past a byte budget dropped. Returns `err` itself when it fits.
 */
export function boundError(err: ConnectError): ConnectError {
  const lists = err.details.map(violationsOf);
  const total = Math.max(0, ...lists.map((l) => l?.items.length ?? 0));
  const keep = Math.min(total, MAX_VIOLATIONS, ...lists.flatMap((l) => (l ? [l.fitting] : [])));
  const cut = lists.some((l) => l && (l.items.length > keep || l.trimmed));
  const message =
    total > keep
      ? `${clip(err.rawMessage, MAX_MESSAGE)} (the details list ${keep}; ${(total - keep).toLocaleString("en-US")} more not listed)`
      : clip(err.rawMessage, MAX_MESSAGE);
  let details = cut ? err.details.map((d, i) => lists[i]?.rebuild(keep) ?? d) : err.details;
  details = withinBudget(details);
  if (!cut && message === err.rawMessage && details === err.details) return err;
  // The constructor takes only details built here; those received from another service are
  // pushed as they are.
  const bounded = new ConnectError(message, err.code, err.metadata, undefined, err.cause);
  bounded.details.push(...details);
  return bounded;
}

interface ViolationList {
  items: unknown[];
  /** How many (with texts clipped) fit the byte budget. */
  fitting: number;
  /** Whether some text among the first MAX_VIOLATIONS had to be clipped. */
  trimmed: boolean;
  rebuild(keep: number): Detail;
}

function violationsOf(d: Detail): ViolationList | undefined {
  const violations = decoded(d, ViolationsSchema);
  if (violations) {
    const clipped = violations.violations.slice(0, MAX_VIOLATIONS).map(clipViolation);
    return {
      items: violations.violations,
      fitting: fittingCount(clipped, (v) => toBinary(ViolationSchema, v).byteLength),
      trimmed: clipped.some((v, i) => v !== violations.violations[i]),
      rebuild: (keep) => ({ desc: ViolationsSchema, value: create(ViolationsSchema, { violations: clipped.slice(0, keep) }) }),
    };
  }
  const bad = decoded(d, BadRequestSchema);
  if (bad) {
    const clipped = bad.fieldViolations.slice(0, MAX_VIOLATIONS).map(clipFieldViolation);
    return {
      items: bad.fieldViolations,
      fitting: fittingCount(clipped, (v) => toBinary(BadRequest_FieldViolationSchema, v).byteLength),
      trimmed: clipped.some((v, i) => v !== bad.fieldViolations[i]),
      rebuild: (keep) => ({ desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: clipped.slice(0, keep) }) }),
    };
  }
  return undefined;
}

/** A detail as a message of `schema`, whether built here or received from another service. */
function decoded<D extends DescMessage>(d: Detail, schema: D): MessageShape<D> | undefined {
  if ("desc" in d) return d.desc.typeName === schema.typeName ? create(schema, d.value as MessageShape<D>) : undefined;
  return d.type === schema.typeName ? fromBinary(schema, d.value) : undefined;
}

function fittingCount<T>(items: T[], size: (item: T) => number): number {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    // A length-delimited field per item: the item plus a tag and length of a few bytes.
    bytes += size(items[i]!) + 4;
    if (bytes > VIOLATIONS_BYTES) return i;
  }
  return items.length;
}

function clipViolation(v: Violation): Violation {
  if (v.message.length <= MAX_TEXT && v.ruleId.length <= MAX_TEXT) return v;
  return { ...v, message: clip(v.message, MAX_TEXT), ruleId: clip(v.ruleId, MAX_TEXT) };
}

function clipFieldViolation(v: BadRequest_FieldViolation): BadRequest_FieldViolation {
  if (v.description.length <= MAX_TEXT && v.field.length <= MAX_TEXT) return v;
  return { ...v, field: clip(v.field, MAX_TEXT), description: clip(v.description, MAX_TEXT) };
}

/** Details in order until the byte budget is spent; the rest are dropped. */
function withinBudget(details: Detail[]): Detail[] {
  let bytes = 0;
  for (let i = 0; i < details.length; i++) {
    bytes += detailBytes(details[i]!);
    if (bytes > DETAILS_BYTES) return details.slice(0, i);
  }
  return details;
}

function detailBytes(d: Detail): number {
  // An Any: the type URL and the value, with tags and lengths.
  if (!("desc" in d)) return d.type.length + d.value.byteLength + 40;
  return d.desc.typeName.length + toBinary(d.desc, create(d.desc, d.value)).byteLength + 40;
}

/** `text` cut to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
