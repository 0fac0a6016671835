#!/usr/bin/env node
// The set-up behind `npm start` and `npm test`. Plain Node with no dependencies, because it
// runs before anything is installed. Every step is skipped when already done, so a second run
// costs a second or two.
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

const command = process.argv[2] ?? "setup";
const rest = process.argv.slice(3);
switch (command) {
  case "setup":
    setup();
    break;
  case "start":
    setup();
    process.exit(run("node", ["--conditions=@triphub/source", "--import", "tsx", "packages/devstack/src/main.ts", ...rest]));
    break;
  case "test":
    setup();
    process.exit(run("node", ["--conditions=@triphub/source", "--import", "tsx", "packages/testkit/src/run-tests.ts", ...rest]));
    break;
  default:
    console.error(`usage: node scripts/dev.mjs setup|start|test`);
    process.exit(2);
}
