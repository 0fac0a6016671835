#!/usr/bin/env node
// The set-up behind every root script (`npm start`, `npm test`, `npm run bench`, `npm run
// typecheck`, ...). Plain Node with no dependencies, because it runs before anything is
// installed: a fresh clone needs only Node and npm. Every step is skipped when already done, so
// a second run costs a second or two. Tools (pnpm, turbo, buf) run with .tools and node_modules
// on PATH, so none needs installing globally.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, "");
const toolsBin = join(root, ".tools", "node_modules", ".bin");

const env = {
  ...process.env,
  PATH: [toolsBin, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function must(cmd, args) {
  const code = run(cmd, args);
  if (code !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(" ")} failed (exit ${code})`);
    process.exit(code);
  }
}

function step(text) {
  process.stdout.write(`▸ ${text}\n`);
}

/** pnpm of the same major as packageManager; installed under .tools when missing. */
function ensurePnpm() {
  const found = spawnSync("pnpm", ["--version"], { env, encoding: "utf8" });
  const major = pnpmVersion.split(".")[0];
  if (found.status === 0 && found.stdout.trim().split(".")[0] === major) return;
  step(`installing pnpm ${pnpmVersion} into .tools/`);
  mkdirSync(join(root, ".tools"), { recursive: true });
  writeFileSync(join(root, ".tools", "package.json"), '{"private":true}\n');
  const code = run("npm", ["install", "--no-audit", "--no-fund", "--prefix", join(root, ".tools"), `pnpm@${pnpmVersion}`]);
  if (code !== 0) process.exit(code);
}

/** The fingerprint of everything that decides what `pnpm install` puts in node_modules. */
function installFingerprint() {
  const h = createHash("sha256");
  for (const f of ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"]) {
    if (existsSync(join(root, f))) h.update(readFileSync(join(root, f)));
  }
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const p = join(root, "packages", dir, "package.json");
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest("hex");
}

function ensureInstalled() {
  const stamp = join(root, "node_modules", ".triphub-install");
  const want = installFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  step("installing dependencies (pnpm install --frozen-lockfile)");
  must("pnpm", ["install", "--frozen-lockfile"]);
  writeFileSync(stamp, installFingerprint());
}

function ensureGenerated() {
  step("generating contracts (cached by turbo)");
  must("pnpm", ["exec", "turbo", "run", "generate", "--output-logs=errors-only"]);
}

function setup() {
  ensurePnpm();
  ensureInstalled();
  ensureGenerated();
}

// Root scripts that are workspace tools: each command's arguments, run in order; extra
// arguments go to the last one.
const tasks = {
  generate: [["turbo", "run", "generate"]],
  build: [["turbo", "run", "build"]],
  typecheck: [["turbo", "run", "typecheck"]],
  lint: [
    ["buf", "lint"],
    ["turbo", "run", "lint"],
  ],
};

/** Runs commands in turn with the tools on PATH; exits with the first failure's code. */
function runAll(commands) {
  for (const [cmd, ...args] of commands) {
    const code = run(cmd, args);
    if (code !== 0) process.exit(code);
  }
  process.exit(0);
}

const node = (entry) => ["node", "--conditions=@triphub/source", "--import", "tsx", entry];
const command = process.argv[2] ?? "setup";
const rest = process.argv.slice(3);
switch (command) {
  case "setup":
    setup();
    break;
  case "start":
    setup();
    runAll([[...node("packages/devstack/src/main.ts"), ...rest]]);
    break;
  case "test":
    setup();
    runAll([[...node("packages/testkit/src/run-tests.ts"), ...rest]]);
    break;
  case "bench":
    setup();
    runAll([[...node("packages/bench/src/main.ts"), ...rest]]);
    break;
  case "generate":
  case "build":
  case "typecheck":
  case "lint": {
    setup();
    const steps = tasks[command];
    runAll(steps.map((s, i) => (i === steps.length - 1 ? [...s, ...rest] : s)));
    break;
  }
  case "new-service": {
    // The generator is plain Node; afterwards the new package joins the workspace (pnpm-lock.yaml
    // gains it, so this install is not --frozen-lockfile) and its contract is generated.
    setup();
    const code = run("node", ["scripts/new-service.mjs", ...rest]);
    if (code !== 0) process.exit(code);
    step("adding the new package to the workspace (pnpm install)");
    must("pnpm", ["install", "--prefer-offline"]);
    writeFileSync(join(root, "node_modules", ".triphub-install"), installFingerprint());
    ensureGenerated();
    break;
  }
  case "run":
    // Any tool of the workspace, e.g. `node scripts/dev.mjs run pnpm exec biome lint .`.
    if (rest.length === 0) {
      console.error("usage: node scripts/dev.mjs run <command> [args...]");
      process.exit(2);
    }
    setup();
    runAll([rest]);
    break;
  default:
    console.error(`usage: node scripts/dev.mjs setup|start|test|bench|generate|build|typecheck|lint|new-service|run`);
    process.exit(2);
}
