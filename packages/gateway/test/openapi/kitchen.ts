// A synthetic proto (built as a descriptor, no protoc needed) with the shapes the TripHub
// contracts lack: wrappers, maps, bytes, Struct/Any, recursion, server streaming.
import { create, createFileRegistry, type DescFile } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as L,
  FieldDescriptorProto_Type as T,
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_struct,
  file_google_protobuf_wrappers,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

const deps: Record<string, DescFile> = {
  "google/protobuf/any.proto": file_google_protobuf_any,
  "google/protobuf/duration.proto": file_google_protobuf_duration,
  "google/protobuf/struct.proto": file_google_protobuf_struct,
  "google/protobuf/wrappers.proto": file_google_protobuf_wrappers,
};

// protoc always fills json_name; the descriptor builder does not derive it.
const f = (name: string, number: number, type: T, extra: { typeName?: string; label?: L; oneofIndex?: number } = {}) => ({
  name,
  jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  number,
  type,
  label: L.OPTIONAL,
  ...extra,
});

const file = create(FileDescriptorProtoSchema, {
  name: "test/v1/kitchen.proto",
  package: "test.v1",
  syntax: "proto3",
  dependency: Object.keys(deps),
  messageType: [
    {
      name: "Kitchen",
      field: [
        f("shelf_name", 1, T.STRING),
        f("big_count", 2, T.INT64),
        f("small_count", 3, T.UINT32),
        f("maybe_count", 4, T.MESSAGE, { typeName: ".google.protobuf.Int64Value" }),
        f("maybe_flag", 5, T.MESSAGE, { typeName: ".google.protobuf.BoolValue" }),
        f("timeout", 6, T.MESSAGE, { typeName: ".google.protobuf.Duration" }),
        f("extra", 7, T.MESSAGE, { typeName: ".google.protobuf.Struct" }),
        f("payload", 8, T.MESSAGE, { typeName: ".google.protobuf.Any" }),
        f("counts", 9, T.MESSAGE, { typeName: ".test.v1.Kitchen.CountsEntry", label: L.REPEATED }),
        f("children", 10, T.MESSAGE, { typeName: ".test.v1.Kitchen", label: L.REPEATED }),
        f("parent", 11, T.MESSAGE, { typeName: ".test.v1.Kitchen" }),
        f("text", 12, T.STRING, { oneofIndex: 0 }),
        f("blob", 13, T.BYTES, { oneofIndex: 0 }),
        f("tags", 14, T.STRING, { label: L.REPEATED }),
      ],
      nestedType: [{ name: "CountsEntry", field: [f("key", 1, T.STRING), f("value", 2, T.INT64)], options: { mapEntry: true } }],
      oneofDecl: [{ name: "content" }],
    },
  ],
  service: [
    {
      name: "KitchenService",
      method: [
        { name: "GetKitchen", inputType: ".test.v1.Kitchen", outputType: ".test.v1.Kitchen" },
        { name: "WatchKitchen", inputType: ".test.v1.Kitchen", outputType: ".test.v1.Kitchen", serverStreaming: true },
      ],
    },
  ],
});

const registry = createFileRegistry(file, (name) => deps[name]);

export const KitchenSchema = registry.getMessage("test.v1.Kitchen")!;
export const KitchenService = registry.getService("test.v1.KitchenService")!;
