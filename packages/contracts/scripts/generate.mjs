#!/usr/bin/env node
// Generates TypeScript from proto/ with buf and the local protoc-gen-es.
// buf/validate/validate.proto is needed to compile our protos but is not shipped as source by
// any npm package, so we print its declarations from the descriptor that @bufbuild/protovalidate
// embeds, into the git-ignored .protodeps/. Generated code then imports the package's own copy.
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
const r = spawnSync(join(bin, "buf"), ["generate"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PATH: `${join(here, "..", "node_modules", ".bin")}:${bin}:${process.env.PATH}` },
});
process.exit(r.status ?? 1);
