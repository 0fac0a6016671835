#!/usr/bin/env node
// Generates TypeScript from proto/ with buf and the local protoc-gen-es.
// buf/validate/validate.proto is needed to compile our protos but is not shipped as source by
// any npm package, so we print its declarations from the descriptor that @bufbuild/protovalidate
// embeds, into the git-ignored .protodeps/. Generated code then imports the package's own copy.
// It also writes src/gen/descriptors.binpb: the contracts as one FileDescriptorSet WITH source
// info (comments), which the descriptors protoc-gen-es embeds leave out. The gateway reads it
// (through `@triphub/contracts/descriptors`) to put the proto comments into its OpenAPI document.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { printProto } from "./print-proto.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const out = join(root, ".protodeps", "buf", "validate", "validate.proto");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, printProto(file_buf_validate_validate.proto));

const bin = join(root, "node_modules", ".bin");
const buf = (args) =>
  spawnSync(join(bin, "buf"), args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PATH: `${join(here, "..", "node_modules", ".bin")}:${bin}:${process.env.PATH}` },
  }).status ?? 1;

// After `buf generate`, whose `clean: true` empties src/gen first. Imports are included, so the
// set is self-contained (buf curl --schema and createFileRegistry can use it as it is).
const status = buf(["generate"]) || buf(["build", "--path", "proto/triphub", "-o", "packages/contracts/src/gen/descriptors.binpb"]);
process.exit(status);
