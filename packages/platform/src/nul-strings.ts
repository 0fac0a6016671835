import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { DomainError, type FieldViolation } from "./domain-error.js";
import { MAX_VIOLATIONS } from "./error-bounds.js";

const NUL = "\u0000";
const DESCRIPTION = "must not contain the NUL character (U+0000)";

/**
 * Refuses requests with U+0000 in any string, as INVALID_ARGUMENT with a field violation per
 * string. PostgreSQL cannot store NUL in text and fails the query, so without this a stray
 * `%00` in a search or a name became INTERNAL. Runs on every request: a walk over the fields
 * that can hold strings, which names the fields only once one is found.
 */
export function nulStringInterceptor(): Interceptor {
  return (next) => (req) => {
    if (!req.stream) {
      check(req.method.input, req.message);
      return next(req);
    }
    const input = req.method.input;
    const messages = req.message;
    return next({
      ...req,
      message: (async function* () {
        for await (const m of messages) {
          check(input, m);
          yield m;
        }
      })(),
    });
  };
}

function check(desc: DescMessage, message: unknown) {
  if (!containsNul(desc, message)) return;
  const found = nulStringFields(desc, message);
  const more = found.count - 1;
  const first = found.violations[0]!;
  const text = `${first.field}: ${DESCRIPTION}${more > 0 ? `, and ${more} more violation${more > 1 ? "s" : ""}` : ""}`;
  throw new DomainError("invalid", text, { violations: found.violations });
}

/** Where a message of `desc` can hold a string, compiled once per message type. */
// `name` is the property of the generated message, `field` the proto name errors show.
type Slot =
  | { kind: "value"; name: string; field: string; desc?: DescMessage } // a string, or a message that may hold one
  | { kind: "list"; name: string; field: string; desc?: DescMessage }
  | { kind: "map"; name: string; field: string; keys: boolean; desc?: DescMessage; values: boolean }
  | { kind: "oneof"; name: string; cases: Map<string, DescField> };

const slotsByType = new WeakMap<DescMessage, Slot[]>();
// Types on the stack while slots are compiled: a recursive type (Struct, Value) counts as
// holding strings, which only costs a walk that finds nothing.
const compiling = new Set<DescMessage>();

function slotsOf(desc: DescMessage): Slot[] {
  const known = slotsByType.get(desc);
  if (known) return known;
  compiling.add(desc);
  const slots: Slot[] = [];
  try {
    for (const member of desc.members) {
      if (member.kind === "oneof") {
        const cases = new Map<string, DescField>();
        for (const f of member.fields) if (holdsStrings(f)) cases.set(f.localName, f);
        if (cases.size > 0) slots.push({ kind: "oneof", name: member.localName, cases });
        continue;
      }
      const f = member;
      if (!holdsStrings(f)) continue;
      const at = { name: f.localName, field: f.name, desc: f.message };
      if (f.fieldKind === "list") slots.push({ kind: "list", ...at });
      else if (f.fieldKind === "map") {
        const values = f.mapKind === "message" ? mayHoldStrings(f.message) : f.mapKind === "scalar" && f.scalar === ScalarType.STRING;
        slots.push({ kind: "map", ...at, keys: f.mapKey === ScalarType.STRING, values });
      } else slots.push({ kind: "value", ...at });
    }
  } finally {
    compiling.delete(desc);
  }
  slotsByType.set(desc, slots);
  return slots;
}

function mayHoldStrings(desc: DescMessage): boolean {
  return compiling.has(desc) || slotsOf(desc).length > 0;
}

function holdsStrings(f: DescField): boolean {
  switch (f.fieldKind) {
    case "scalar":
      return f.scalar === ScalarType.STRING;
    case "enum":
      return false;
    case "message":
      return mayHoldStrings(f.message);
    case "list":
      return f.listKind === "scalar" ? f.scalar === ScalarType.STRING : f.listKind === "message" && mayHoldStrings(f.message);
    case "map":
      return f.mapKey === ScalarType.STRING || (f.mapKind === "scalar" ? f.scalar === ScalarType.STRING : f.mapKind === "message" && mayHoldStrings(f.message));
    default: {
      const unknownKind: never = f;
      throw new Error(`unknown field kind ${String(unknownKind)}`);
    }
  }
}

type Fields = Record<string, unknown>;

/** Whether any string in `message` (a message of `desc`) contains U+0000. */
export function containsNul(desc: DescMessage, message: unknown): boolean {
  const m = message as Fields;
  for (const slot of slotsOf(desc)) {
    const v = m[slot.name];
    if (v === undefined) continue;
    switch (slot.kind) {
      case "value":
        if (valueHasNul(slot.desc, v)) return true;
        break;
      case "list":
        for (const item of v as unknown[]) if (valueHasNul(slot.desc, item)) return true;
        break;
      case "map":
        for (const key in v as Fields) {
          if (slot.keys && key.includes(NUL)) return true;
          if (slot.values && valueHasNul(slot.desc, (v as Fields)[key])) return true;
        }
        break;
      case "oneof": {
        const o = v as { case?: string; value?: unknown };
        const field = o.case === undefined ? undefined : slot.cases.get(o.case);
        if (field && valueHasNul(field.message, o.value)) return true;
        break;
      }
    }
  }
  return false;
}

// Strings are checked as they are; wrapper fields (StringValue) arrive unboxed as strings too.
function valueHasNul(desc: DescMessage | undefined, v: unknown): boolean {
  if (typeof v === "string") return v.includes(NUL);
  return desc !== undefined && typeof v === "object" && v !== null && containsNul(desc, v);
}

/**
 * The paths of the strings in `message` that contain U+0000, in the form validation errors
 * use (`user.display_name`, `types[2]`, `metadata[key]`): the first {@link MAX_VIOLATIONS}
 * and how many there are.
 */
export function nulStringFields(desc: DescMessage, message: unknown): { violations: FieldViolation[]; count: number } {
  const found = { violations: [] as FieldViolation[], count: 0 };
  const hit = (field: string) => {
    if (found.count++ < MAX_VIOLATIONS) found.violations.push({ field, description: DESCRIPTION });
  };
  collect(desc, message as Fields, "", hit);
  return found;
}

function collect(desc: DescMessage, m: Fields, prefix: string, hit: (field: string) => void) {
  const visit = (child: DescMessage | undefined, v: unknown, path: string) => {
    if (typeof v === "string") {
      if (v.includes(NUL)) hit(path);
    } else if (child && typeof v === "object" && v !== null) collect(child, v as Fields, `${path}.`, hit);
  };
  for (const slot of slotsOf(desc)) {
    const v = m[slot.name];
    if (v === undefined) continue;
    if (slot.kind === "oneof") {
      const o = v as { case?: string; value?: unknown };
      const field = o.case === undefined ? undefined : slot.cases.get(o.case);
      if (field) visit(field.message, o.value, prefix + field.name);
      continue;
    }
    const name = prefix + slot.field;
    if (slot.kind === "value") visit(slot.desc, v, name);
    else if (slot.kind === "list") {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) visit(slot.desc, items[i], `${name}[${i}]`);
    } else {
      for (const [key, value] of Object.entries(v as Fields)) {
        const path = `${name}[${key.replaceAll(NUL, "\\u0000")}]`;
        if (slot.keys && key.includes(NUL)) hit(path);
        if (slot.values) visit(slot.desc, value, path);
      }
    }
  }
}
