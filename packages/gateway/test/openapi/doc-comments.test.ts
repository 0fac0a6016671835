import { readFileSync } from "node:fs";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { cleanComment, docCommentsFromDescriptorSet, docName, summaryOf } from "../../src/openapi/doc-comments.js";
import { ItemSchema, Kind, KindSchema } from "../gen/transcoding/v1/messages_pb.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";

// Written by `pnpm generate` (scripts/generate-test-protos.mjs) with source info.
const bytes = readFileSync(new URL("../gen/transcoding.binpb", import.meta.url));
const comments = docCommentsFromDescriptorSet(bytes);

describe("docCommentsFromDescriptorSet", () => {
  it("finds comments of services, methods, messages, fields, enums and enum values by full name", () => {
    expect(comments.get("transcoding.v1.TranscodingService")).toBe("One RPC per rule shape of google/api/http.proto, plus failure modes.");
    expect(comments.get("transcoding.v1.TranscodingService.GetItem")).toBe("`{field}` path variable; every other field from the query string.");
    expect(comments.get("transcoding.v1.Item")).toBe("Every field kind a query string, a path or a body can carry.");
    expect(comments.get("transcoding.v1.Item.id")).toBe("The item's id. Most rules bind it from the path.");
    expect(comments.get("transcoding.v1.Kind.KIND_BOOK")).toBe("A book: pages, bound.");
  });

  it("has nothing for undocumented elements and unknown names", () => {
    expect(comments.get("transcoding.v1.Item.size")).toBeUndefined();
    expect(comments.get("transcoding.v1.Kind.KIND_UNSPECIFIED")).toBeUndefined();
    expect(comments.get("no.such.Thing")).toBeUndefined();
  });

  it("leaves out buf lint directives", () => {
    expect(comments.get("transcoding.v1.Kind")).toBe("What an item is.");
  });

  it("reads a parsed FileDescriptorSet the same as its bytes", () => {
    const parsed = docCommentsFromDescriptorSet(fromBinary(FileDescriptorSetSchema, bytes));
    expect(parsed.get("transcoding.v1.Item.id")).toBe(comments.get("transcoding.v1.Item.id"));
  });

  it("names descriptors the way it looks them up", () => {
    const getItem = TranscodingService.method.getItem;
    expect(docName(getItem)).toBe("transcoding.v1.TranscodingService.GetItem");
    expect(docName(ItemSchema.field.id)).toBe("transcoding.v1.Item.id");
    expect(docName(KindSchema.value[Kind.BOOK])).toBe("transcoding.v1.Kind.KIND_BOOK");
    expect(docName(TranscodingService)).toBe("transcoding.v1.TranscodingService");
  });
});

describe("cleanComment", () => {
  it.each<[string, string | undefined]>([
    [" One line.\n", "One line."],
    [" First.\n  Indented more.\n", "First.\n Indented more."],
    [" Text.\n buf:lint:ignore RPC_REQUEST_STANDARD_NAME\n", "Text."],
    [" buf:lint:ignore ENUM_VALUE_PREFIX\n", undefined],
    [" A.\n\n\n\n B.\n", "A.\n\nB."],
    ["", undefined],
  ])("cleans %j", (raw, expected) => {
    expect(cleanComment(raw)).toBe(expected);
  });
});

describe("summaryOf", () => {
  it.each<[string, string]>([
    ["Creates a GUEST account and signs it in.", "Creates a GUEST account and signs it in"],
    ["A user by id. ADMIN, or the user themself.", "A user by id"],
    ["Exchanges email and password for a token\npair. A wrong email gives UNAUTHENTICATED.", "Exchanges email and password for a token pair"],
    ["E.164, e.g. +821012345678. Personal data.", "E.164, e.g. +821012345678"],
    ["No full stop at all", "No full stop at all"],
    ["First paragraph\nwraps.\n\nSecond paragraph.", "First paragraph wraps"],
  ])("of %j is %j", (comment, expected) => {
    expect(summaryOf(comment)).toBe(expected);
  });
});
