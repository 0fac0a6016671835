// Proto comments for the OpenAPI document. The descriptors protoc-gen-es embeds carry no
// source_code_info, and @bufbuild/protoplugin's getComments() needs descriptors that do, so the
// comments come from a separate FileDescriptorSet built with source info (`buf build -o x.binpb`)
// and are looked up by the elements' fully-qualified names.
import type { DescEnum, DescEnumValue, DescField, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import { fromBinary } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  DescriptorProtoSchema,
  type EnumDescriptorProto,
  EnumDescriptorProtoSchema,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  type FileDescriptorSet,
  FileDescriptorSetSchema,
  ServiceDescriptorProtoSchema,
  type SourceCodeInfo_Location,
} from "@bufbuild/protobuf/wkt";

/**
 * The documentation comments of proto elements, by fully-qualified name: `pkg.Message`,
 * `pkg.Message.field`, `pkg.Enum`, `pkg.Enum.VALUE`, `pkg.Service`, `pkg.Service.Method`.
 */
export interface DocComments {
  /** The element's comment, cleaned up (directives removed, dedented), if it has one. */
  get(name: string): string | undefined;
}

/** An element {@link DocComments} can document. */
export type Documented = DescMessage | DescField | DescEnum | DescEnumValue | DescService | DescMethod;

/** The name an element is documented under in {@link DocComments}. */
export function docName(d: Documented): string {
  switch (d.kind) {
    case "message":
    case "enum":
    case "service":
      return d.typeName;
    case "field":
    case "enum_value":
    case "rpc":
      return `${d.parent.typeName}.${d.name}`;
    default: {
      const _x: never = d;
      throw new Error(`undocumentable element ${String(_x)}`);
    }
  }
}

/** The comment of a descriptor, when comments are given and it has one. */
export const docOf = (comments: DocComments | undefined, d: Documented): string | undefined => comments?.get(docName(d));

/** Paragraphs joined, the empty ones left out; undefined when none is left. */
export const paragraphs = (...parts: (string | undefined)[]): string | undefined => parts.filter(Boolean).join("\n\n") || undefined;

// Tool directives such as `buf:lint:ignore ENUM_ZERO_VALUE_SUFFIX` are for linters, not readers.
const DIRECTIVE = /^\s*buf:[a-z_]+:/;

/** A raw source comment as readers should see it, or undefined when nothing is left. */
export function cleanComment(raw: string): string | undefined {
  const lines = raw
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .filter((l) => !DIRECTIVE.test(l))
    .map((l) => l.trimEnd());
  // `// text` arrives as ` text`; removing the common indent keeps nested lists and code aligned.
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  const text = lines
    .map((l) => l.slice(Number.isFinite(indent) ? indent : 0))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return text === "" ? undefined : text;
}

// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf)\.$/i;

/**
 * A one-line summary of a comment: the first sentence of its first paragraph, without the final
 * full stop (an OpenAPI summary reads as a title).
 */
export function summaryOf(comment: string): string {
  const paragraph = comment.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ").trim();
  for (const m of paragraph.matchAll(/[.!?](?=\s|$)/g)) {
    const end = m.index + 1;
    if (ABBREVIATIONS.test(paragraph.slice(0, end))) continue;
    return paragraph.slice(0, end).replace(/\.$/, "");
  }
  return paragraph;
}

// Field numbers of the descriptor messages, which make up source_code_info paths.
const F = FileDescriptorProtoSchema.field;
const M = DescriptorProtoSchema.field;
const E = EnumDescriptorProtoSchema.field;
const S = ServiceDescriptorProtoSchema.field;

/**
 * Builds the {@link DocComments} of every file in a FileDescriptorSet (binary or parsed) that
 * was built with source info. Leading comments are used, trailing ones where there is none.
 */
export function docCommentsFromDescriptorSet(set: FileDescriptorSet | Uint8Array): DocComments {
  const files = set instanceof Uint8Array ? fromBinary(FileDescriptorSetSchema, set).file : set.file;
  const byName = new Map<string, string>();
  for (const file of files) indexFile(file, byName);
  return { get: (name) => byName.get(name) };
}

function indexFile(file: FileDescriptorProto, out: Map<string, string>): void {
  const locations = new Map<string, SourceCodeInfo_Location>();
  for (const loc of file.sourceCodeInfo?.location ?? []) locations.set(loc.path.join("."), loc);
  const add = (name: string, path: readonly number[]): void => {
    const loc = locations.get(path.join("."));
    const text = loc && cleanComment(loc.leadingComments || loc.trailingComments || "");
    if (text) out.set(name, text);
  };
  const enums = (list: EnumDescriptorProto[], scope: string, path: readonly number[]): void => {
    for (const [i, e] of list.entries()) {
      const p = [...path, i];
      add(scope + e.name, p);
      for (const [j, v] of e.value.entries()) add(`${scope}${e.name}.${v.name}`, [...p, E.value.number, j]);
    }
  };
  const messages = (list: DescriptorProto[], scope: string, path: readonly number[]): void => {
    for (const [i, m] of list.entries()) {
      const name = scope + m.name;
      const p = [...path, i];
      add(name, p);
      for (const [j, f] of m.field.entries()) add(`${name}.${f.name}`, [...p, M.field.number, j]);
      messages(m.nestedType, `${name}.`, [...p, M.nestedType.number]);
      enums(m.enumType, `${name}.`, [...p, M.enumType.number]);
    }
  };
  const scope = file.package ? `${file.package}.` : "";
  messages(file.messageType, scope, [F.messageType.number]);
  enums(file.enumType, scope, [F.enumType.number]);
  for (const [i, s] of file.service.entries()) {
    add(scope + s.name, [F.service.number, i]);
    for (const [j, m] of s.method.entries()) add(`${scope}${s.name}.${m.name}`, [F.service.number, i, S.method.number, j]);
  }
}
