// The contracts as a FileDescriptorSet with source info: the proto comments, which the
// descriptors protoc-gen-es embeds in the generated code leave out. Written by `pnpm generate`
// (scripts/generate.mjs) to src/gen/descriptors.binpb, git-ignored like the rest of src/gen.
// Its own subpath (`@triphub/contracts/descriptors`) because it reads a file with node:fs.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { type FileDescriptorSet, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

// tsc does not copy the .binpb into dist/, so the path goes through the package root: from
// src/descriptors.ts (the @triphub/source condition) and from dist/descriptors.js alike,
// `../src/gen/` is the generated folder.
const path = fileURLToPath(new URL("../src/gen/descriptors.binpb", import.meta.url));

/**
 * Absolute path of the contracts' FileDescriptorSet (binary, with source info and imports), for
 * tools that take a file, e.g. `buf curl --schema <path>`.
 */
export const descriptorSetPath: string = path;

/**
 * Reads the contracts' FileDescriptorSet with source info. Use it where the proto comments are
 * needed at runtime, e.g. the gateway's OpenAPI descriptions. Throws when the file is missing
 * (run `pnpm generate`).
 */
export function readDescriptorSet(): FileDescriptorSet {
  return fromBinary(FileDescriptorSetSchema, readFileSync(path));
}
