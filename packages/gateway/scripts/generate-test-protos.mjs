#!/usr/bin/env node
// Generates the transcoder's test contract (test/proto) into test/gen with buf and the local
// protoc-gen-es, plus its FileDescriptorSet with comments (see below). It runs from the
// repository root because buf.yaml there lists the modules the test protos import (google/api
// from google-proto-files, buf/validate from .protodeps).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..");
const root = join(pkg, "..", "..");

// .protodeps is written by the contracts' generate (turbo runs it first: ^generate).
if (!existsSync(join(root, ".protodeps", "buf", "validate", "validate.proto"))) {
  console.error("missing .protodeps/buf/validate/validate.proto: run `pnpm --filter @triphub/contracts generate` first");
  process.exit(1);
}

const bin = join(root, "node_modules", ".bin");
const buf = (args) =>
  spawnSync(join(bin, "buf"), args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PATH: `${join(pkg, "node_modules", ".bin")}:${bin}:${process.env.PATH}` },
  }).status ?? 1;

// Then test/gen/transcoding.binpb: the test contract as a FileDescriptorSet with source info, so
// the OpenAPI tests can check descriptions taken from its comments (as the contracts' own
// descriptors.binpb does for the real gateway). After `buf generate`, whose `clean: true`
// empties test/gen first.
const status =
  buf(["generate", "--template", join(pkg, "buf.gen.gateway-test.yaml")]) ||
  buf(["build", "--path", "packages/gateway/test/proto/transcoding", "-o", "packages/gateway/test/gen/transcoding.binpb"]);
process.exit(status);
