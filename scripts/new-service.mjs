#!/usr/bin/env node
// `npm run new-service -- NAME`: makes packages/NAME from packages/_template, a compiling,
// tested service in the one layout, and wires it into `npm start` and the gateway. Plain Node,
// no dependencies. Usage: node scripts/new-service.mjs NAME [--root DIR]
//
// What it decides:
// - The contract. If proto/triphub/NAME/v1/*_service.proto exists (reservation, payment and
//   review do), the package binds to that file's service with no RPC written (each answers
//   UNIMPLEMENTED), no table and an empty migration journal: the template's Note resource is
//   left out (packages/_template/contract-first/ holds the files put in its place). Otherwise
//   it writes the template's contract as proto/triphub/NAME/v1/NAME_service.proto and keeps the
//   Note resource as the starting point: only package, service and identifier names change
//   (ExampleService -> NameService), and its REST paths move under /api/v1/NAME/notes so two
//   fresh services never claim the same route. Rename the resource when making it yours.
// - Wiring: SERVICES in packages/devstack/src/services.ts gets NAME on the next free 71xx port
//   (its own database, routed by the gateway), and ROUTABLE in packages/gateway/src/upstreams.ts
//   gets NAME's service when it is not there yet.
// It refuses a bad name and one whose package exists. scripts/dev.mjs then installs (the new
// workspace package joins pnpm-lock.yaml) and regenerates the contracts.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A service name: one lower-case word, e.g. "reservation", "loyalty". It is also the database
 * name (triphub_NAME), an environment variable suffix and a proto package, where a hyphen would
 * need quoting or is not allowed.
 */
export const NAME = /^[a-z][a-z0-9]*$/;

// The files of the template's Note resource, left out when the contract already exists.
const NOTE_FILES = [
  "src/rpcs/note-rpcs.ts",
  "src/proto-mapping/note.ts",
  "src/domain/note.ts",
  "src/store/note-store.ts",
  "test/note.test.ts",
  "test/rpc-notes.test.ts",
  "drizzle",
];
const SKIP = new Set(["node_modules", "dist", ".turbo", "contract-first"]);
const TEMPLATE_PROTO = "proto/triphub/example/v1/example_service.proto";

class Refusal extends Error {}

const pascal = (name) => name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
const camel = (name) => pascal(name)[0].toLowerCase() + pascal(name).slice(1);
const snake = (name) => name.replaceAll("-", "_");

/** The contract NAME binds to: an existing `service XxxService` in proto/triphub/NAME/v1, or none. */
function existingContract(root, name) {
  const dir = join(root, "proto", "triphub", snake(name), "v1");
  if (!existsSync(dir)) return undefined;
  for (const file of readdirSync(dir).filter((f) => f.endsWith("_service.proto")).sort()) {
    const found = /^service\s+(\w+)\s*\{/m.exec(readFileSync(join(dir, file), "utf8"));
    if (found) return { service: found[1], module: `triphub/${snake(name)}/v1/${file.replace(/\.proto$/, "")}` };
  }
  throw new Refusal(`${relative(root, dir)} exists but no *_service.proto in it declares a service`);
}

/** Every name of the template in `text`, rewritten for NAME. */
function rename(text, n) {
  return text
    .replaceAll("@triphub/template", `@triphub/${n.name}`)
    .replaceAll("vitest run packages/_template", `vitest run packages/${n.name}`)
    .replaceAll("triphub/example/v1/example_service", n.module)
    .replaceAll("ExampleService", n.service)
    .replaceAll("serviceConfigSpec(7190)", `serviceConfigSpec(${n.port})`)
    .replace(/Example/g, pascal(n.name))
    .replace(/example(?=[A-Z])/g, camel(n.name))
    .replace(/example_/g, `${snake(n.name)}_`)
    .replace(/example/g, n.name);
}

/** The template's contract for NAME: its package, service and REST paths renamed. */
function renameProto(text, name) {
  return text
    .replaceAll("triphub.example.v1", `triphub.${snake(name)}.v1`)
    .replaceAll('"/api/v1/notes', `"/api/v1/${name}/notes`)
    .replaceAll("ExampleService", `${pascal(name)}Service`)
    .replace(/^\/\/ The contract of packages\/_template[\s\S]*?\npackage /m, `// The contract of the ${name} service (made from packages/_template's; rename its Note resource).\npackage `);
}

/** The files under `dir`, relative to it, never descending into SKIP folders (node_modules links back). */
function filesUnder(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const path = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : filesUnder(dir, path);
    return e.isFile() ? [path] : [];
  });
}

/** The next free devstack port: one past the highest 71xx port in SERVICES. */
function nextPort(servicesTs) {
  const ports = [...servicesTs.matchAll(/port:\s*(71\d\d)/g)].map((m) => Number(m[1]));
  return Math.max(7100, ...ports) + 1;
}

/** SERVICES with NAME appended (unchanged when it is there already). */
function wireDevstack(text, name, port) {
  if (new RegExp(`name:\\s*"${name}"`).test(text)) return text;
  const start = text.indexOf("export const SERVICES");
  const end = text.indexOf("\n];", start);
  if (start < 0 || end < 0) throw new Refusal("SERVICES not found in packages/devstack/src/services.ts");
  const entry = `\n  { name: "${name}", dir: "${name}", port: ${port}, database: true, public: true },`;
  return text.slice(0, end) + entry + text.slice(end);
}

/** ROUTABLE with NAME's service added, and its import (unchanged when NAME is routable already). */
function wireGateway(text, name, contract) {
  const key = NAME.test(name) && !name.includes("-") ? name : `"${name}"`;
  const start = text.indexOf("export const ROUTABLE");
  const end = text.indexOf("\n};", start);
  if (start < 0 || end < 0) throw new Refusal("ROUTABLE not found in packages/gateway/src/upstreams.ts");
  if (new RegExp(`^\\s*"?${name}"?\\s*:`, "m").test(text.slice(start, end))) return text;
  const line = `import { ${contract.service} } from "@triphub/contracts/${contract.module}_pb";\n`;
  const imports = [...text.matchAll(/^import .* from "@triphub\/contracts\/.*";\n/gm)];
  const at = imports.length > 0 ? imports.at(-1).index + imports.at(-1)[0].length : 0;
  const withImport = text.includes(line) ? text : text.slice(0, at) + line + text.slice(at);
  const end2 = withImport.indexOf("\n};", withImport.indexOf("export const ROUTABLE"));
  return `${withImport.slice(0, end2)}\n  ${key}: ${contract.service},${withImport.slice(end2)}`;
}

/** Makes packages/NAME under `root`; returns what it did, line by line. */
export function newService(root, name) {
  if (!NAME.test(name)) throw new Refusal(`"${name}" is not a service name: lower-case letters and digits, starting with a letter`);
  if (name === "template" || name === "example") throw new Refusal(`"${name}" is the template's own name`);
  const pkgDir = join(root, "packages", name);
  if (existsSync(pkgDir)) throw new Refusal(`packages/${name} exists already`);
  const template = join(root, "packages", "_template");
  const servicesPath = join(root, "packages", "devstack", "src", "services.ts");
  const upstreamsPath = join(root, "packages", "gateway", "src", "upstreams.ts");
  const servicesTs = readFileSync(servicesPath, "utf8");
  const upstreamsTs = readFileSync(upstreamsPath, "utf8");
  const did = [];

  const existing = existingContract(root, name);
  const contract = existing ?? { service: `${pascal(name)}Service`, module: `triphub/${snake(name)}/v1/${snake(name)}_service` };
  // A name already in SERVICES keeps its port, so the config's default matches the devstack.
  const listed = new RegExp(`name:\\s*"${name}"[^}]*port:\\s*(\\d+)`).exec(servicesTs);
  const port = listed ? Number(listed[1]) : nextPort(servicesTs);
  const n = { name, port, ...contract };

  // The package: every file of the template, renamed; contract-first files over the Note ones.
  const files = filesUnder(template);
  const left = existing ? files.filter((f) => !NOTE_FILES.some((nf) => f === nf || f.startsWith(`${nf}/`))) : files;
  const sources = new Map(left.map((f) => [f, join(template, f)]));
  if (existing) for (const f of filesUnder(join(template, "contract-first")).filter((f) => f !== "README.md")) sources.set(f, join(template, "contract-first", f));
  for (const [f, from] of [...sources].sort()) {
    const to = join(pkgDir, f);
    mkdirSync(dirname(to), { recursive: true });
    let text = rename(readFileSync(from, "utf8"), n);
    if (f === "tsconfig.json") {
      // The template also typechecks contract-first/ as if it were the package; a copy has none.
      const json = JSON.parse(text);
      delete json.compilerOptions.rootDirs;
      json.include = json.include.filter((i) => i !== "contract-first");
      text = `${JSON.stringify(json, null, 2)}\n`;
    }
    if (f === "package.json") {
      const json = JSON.parse(text);
      json.description = `The ${name} service (made with npm run new-service; say what it owns here).`;
      text = `${JSON.stringify(json, null, 2)}\n`;
    }
    writeFileSync(to, text);
  }
  const leftover = [...sources.keys()].filter((f) => /example/i.test(readFileSync(join(pkgDir, f), "utf8")));
  if (leftover.length > 0) {
    rmSync(pkgDir, { recursive: true, force: true });
    throw new Error(`the template's names survived in ${leftover.join(", ")}: fix rename() in scripts/new-service.mjs`);
  }
  did.push(`created packages/${name} (${sources.size} files) from packages/_template`);

  // The contract.
  if (existing) {
    did.push(`bound it to the existing contract ${contract.service} (proto/${contract.module}.proto): every RPC answers UNIMPLEMENTED until written`);
  } else {
    const to = join(root, "proto", `${contract.module}.proto`);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, renameProto(readFileSync(join(root, TEMPLATE_PROTO), "utf8"), name));
    did.push(`wrote proto/${contract.module}.proto (${contract.service}, the template's Note resource under /api/v1/${name}/notes)`);
  }

  // Wiring.
  const wiredServices = wireDevstack(servicesTs, name, port);
  if (wiredServices !== servicesTs) {
    writeFileSync(servicesPath, wiredServices);
    did.push(`added ${name} to SERVICES in packages/devstack/src/services.ts (port ${port}, database triphub_${name}): npm start runs it`);
  } else did.push(`${name} was already in packages/devstack/src/services.ts`);
  const wiredUpstreams = wireGateway(upstreamsTs, name, contract);
  if (wiredUpstreams !== upstreamsTs) {
    writeFileSync(upstreamsPath, wiredUpstreams);
    did.push(`added ${name} to ROUTABLE in packages/gateway/src/upstreams.ts: the gateway routes its REST paths`);
  } else did.push(`${name} was already routable by the gateway`);
  return did;
}

/** What to do after the generator ran. */
export const nextSteps = (name) => [
  "npm run generate   # TypeScript for the contract (npm run new-service ran it already)",
  `npm test -- packages/${name}`,
  "npm run typecheck",
  `edit proto/triphub/${snake(name)}/v1/, then packages/${name}/src/rpcs/ (docs/adding-an-rpc.md)`,
  `change packages/${name}/src/store/schema.ts, then (cd packages/${name} && pnpm db:generate) and commit drizzle/`,
];

function main(argv) {
  const args = [...argv];
  let root = dirname(dirname(fileURLToPath(import.meta.url)));
  const at = args.indexOf("--root");
  if (at >= 0) {
    root = args[at + 1];
    args.splice(at, 2);
  }
  if (args.length !== 1 || !root) {
    console.error("usage: npm run new-service -- NAME   (node scripts/new-service.mjs NAME [--root DIR])");
    return 2;
  }
  try {
    const say = (line) => process.stdout.write(`${line}\n`);
    for (const line of newService(root, args[0])) say(`✓ ${line}`);
    say("\nNext:");
    for (const line of nextSteps(args[0])) say(`  ${line}`);
    return 0;
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    console.error(`✖ ${err.message}`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
