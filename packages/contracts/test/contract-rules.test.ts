// Checks on the contracts as a whole, read from the generated descriptors: every request is
// validated and every REST rule sits under /api/v1.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DescFile, type DescMessage, type DescService, getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import { field as fieldRules, message as messageRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { http } from "../src/gen/google/api/annotations_pb.js";
import { callers } from "../src/gen/triphub/options/v1/options_pb.js";

const genRoot = fileURLToPath(new URL("../src/gen/triphub", import.meta.url));

async function triphubFiles(): Promise<DescFile[]> {
  const files: DescFile[] = [];
  for (const entry of readdirSync(genRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith("_pb.ts")) continue;
    const mod = (await import(join(entry.parentPath, entry.name))) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      if (v && typeof v === "object" && (v as { kind?: unknown }).kind === "file") files.push(v as DescFile);
    }
  }
  return files;
}

const services = async (): Promise<DescService[]> => (await triphubFiles()).flatMap((f) => f.services);

// Types for which every value the wire can carry is valid, so no rule could refuse anything:
// flags and unsigned cursors/versions.
const ANY_VALUE_VALID = new Set([ScalarType.BOOL, ScalarType.UINT32, ScalarType.UINT64]);

/** Fields of a request with no buf.validate rule, unless the message has message-level rules. */
function unvalidatedFields(msg: DescMessage): string[] {
  if (hasOption(msg, messageRules)) return [];
  return msg.fields
    .filter((f) => !hasOption(f, fieldRules))
    .filter((f) => !(f.fieldKind === "scalar" && ANY_VALUE_VALID.has(f.scalar)))
    .map((f) => `${msg.typeName}.${f.name}`);
}

describe("contracts", () => {
  it("define services for every TripHub package", async () => {
    const names = (await services()).map((s) => s.typeName).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "triphub.accommodation.v1.AccommodationService",
        "triphub.auth.v1.AuthService",
        "triphub.config.v1.ConfigService",
        "triphub.payment.v1.PaymentService",
        "triphub.registry.v1.RegistryService",
        "triphub.reservation.v1.ReservationService",
        "triphub.review.v1.ReviewService",
      ]),
    );
  });

  it("put a buf.validate rule on every field of every request message", async () => {
    const missing = (await services()).flatMap((s) => s.methods.flatMap((m) => unvalidatedFields(m.input)));
    expect(missing).toEqual([]);
  });

  it("route every REST rule under /api/v1", async () => {
    const offPath: string[] = [];
    for (const s of await services()) {
      for (const m of s.methods) {
        if (!hasOption(m, http)) continue;
        const rule = getOption(m, http);
        const path = rule.pattern.case === "custom" ? rule.pattern.value.path : String(rule.pattern.value ?? "");
        if (!path.startsWith("/api/v1/")) offPath.push(`${s.typeName}/${m.name}: ${path}`);
      }
    }
    expect(offPath).toEqual([]);
  });

  // Config's SetConfig and ListConfigVersions are for operators; who may call them is decided
  // with the config server (the chassis refuses every caller of an internal RPC listing nobody).
  const NOT_YET_DECIDED = new Set(["triphub.config.v1.ConfigService/SetConfig", "triphub.config.v1.ConfigService/ListConfigVersions"]);

  it("name the services allowed to call every internal RPC, and only on internal ones", async () => {
    const wrong: string[] = [];
    for (const s of await services()) {
      for (const m of s.methods) {
        const name = `${s.typeName}/${m.name}`;
        const internal = !hasOption(m, http);
        if (internal && !hasOption(m, callers) && !NOT_YET_DECIDED.has(name)) wrong.push(`${name}: internal without callers`);
        if (!internal && hasOption(m, callers)) wrong.push(`${name}: callers on a REST method`);
        if (hasOption(m, callers) && getOption(m, callers).services.length === 0) wrong.push(`${name}: callers lists nobody`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
