// scripts/new-service.mjs on a scratch copy of just the files it reads and writes: the template,
// the contracts, the devstack's SERVICES and the gateway's ROUTABLE.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const script = join(repo, "scripts", "new-service.mjs");
const SERVICES = "packages/devstack/src/services.ts";
const ROUTABLE = "packages/gateway/src/upstreams.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "new-service-"));
  cpSync(join(repo, "packages/_template"), join(root, "packages/_template"), {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|dist|\.turbo)$/.test(src),
  });
  // An installed workspace links packages into each other's node_modules, in cycles.
  mkdirSync(join(root, "packages/_template/node_modules/@triphub"), { recursive: true });
  symlinkSync("../../../_template", join(root, "packages/_template/node_modules/@triphub/template"));
  cpSync(join(repo, "proto"), join(root, "proto"), { recursive: true });
  for (const f of [SERVICES, ROUTABLE]) cpSync(join(repo, f), join(root, f));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const generate = (name: string) => spawnSync(process.execPath, [script, name, "--root", root], { encoding: "utf8" });
const read = (path: string) => readFileSync(join(root, path), "utf8");
const filesOf = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("npm run new-service", () => {
  it("makes a service with its own contract from the template and wires it once", () => {
    // The next free devstack port after the services that exist.
    const port = Math.max(...[...read(SERVICES).matchAll(/port: (71\d\d)/g)].map((m) => Number(m[1]))) + 1;
    const r = generate("loyalty");
    expect(r.status, r.stderr).toBe(0);
    for (const f of ["src/main.ts", "src/server.ts", "src/service.ts", "src/rpcs/note-rpcs.ts", "drizzle/0000_notes.sql", "test/rpc-notes.test.ts"]) {
      expect(existsSync(join(root, "packages/loyalty", f)), f).toBe(true);
    }
    expect(existsSync(join(root, "packages/loyalty/contract-first"))).toBe(false);
    const leftovers = filesOf("packages/loyalty").filter((f) => /example|@triphub\/template/i.test(readFileSync(f, "utf8")));
    expect(leftovers).toEqual([]);
    expect(JSON.parse(read("packages/loyalty/package.json")).name).toBe("@triphub/loyalty");
    expect(read("packages/loyalty/src/server.ts")).toContain('from "@triphub/contracts/triphub/loyalty/v1/loyalty_service_pb"');
    expect(read("packages/loyalty/src/config.ts")).toContain(`serviceConfigSpec(${port})`);

    const proto = read("proto/triphub/loyalty/v1/loyalty_service.proto");
    expect(proto).toContain("package triphub.loyalty.v1;");
    expect(proto).toContain("service LoyaltyService {");
    expect(proto).toContain('get: "/api/v1/loyalty/notes/{note_id}"');
    expect(proto).not.toMatch(/example/i);

    expect(occurrences(read(SERVICES), 'name: "loyalty"')).toBe(1);
    expect(read(SERVICES)).toContain(`{ name: "loyalty", dir: "loyalty", port: ${port}, database: true, public: true }`);
    expect(occurrences(read(ROUTABLE), "loyalty: LoyaltyService,")).toBe(1);
    expect(occurrences(read(ROUTABLE), "import { LoyaltyService }")).toBe(1);
  });

  it("binds a service whose contract exists to it, with no RPC written and no template resource", () => {
    const routableBefore = read(ROUTABLE);
    const protoBefore = read("proto/triphub/reservation/v1/reservation_service.proto");
    const r = generate("reservation");
    expect(r.status, r.stderr).toBe(0);
    expect(read("packages/reservation/src/service.ts")).toContain("Partial<ServiceImpl<typeof ReservationService>>");
    expect(read("packages/reservation/src/service.ts")).toContain("return {};");
    expect(existsSync(join(root, "packages/reservation/test/service.test.ts"))).toBe(true);
    expect(existsSync(join(root, "packages/reservation/src/rpcs/note-rpcs.ts"))).toBe(false);
    expect(existsSync(join(root, "packages/reservation/drizzle/0000_notes.sql"))).toBe(false);
    expect(JSON.parse(read("packages/reservation/drizzle/meta/_journal.json")).entries).toEqual([]);
    expect(filesOf("packages/reservation").filter((f) => /example|@triphub\/template/i.test(readFileSync(f, "utf8")))).toEqual([]);
    expect(filesOf("packages/reservation").filter((f) => /note/.test(f))).toEqual([]);
    expect(existsSync(join(root, "proto/triphub/reservation/v1/reservation_service.proto"))).toBe(true);
    expect(read("proto/triphub/reservation/v1/reservation_service.proto")).toBe(protoBefore);
    expect(occurrences(read(SERVICES), 'name: "reservation"')).toBe(1);
    expect(read(ROUTABLE)).toBe(routableBefore);
  });

  it("refuses a second run, bad names and the template's own", () => {
    expect(generate("reservation").status).toBe(0);
    const services = read(SERVICES);
    const again = generate("reservation");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("packages/reservation exists already");
    expect(read(SERVICES)).toBe(services);
    for (const bad of ["Reservation", "1st", "pay_ment", "-x", "loyalty-points", "template"]) {
      expect(generate(bad).status, bad).toBe(1);
      expect(existsSync(join(root, "packages", bad))).toBe(false);
    }
  });
});
