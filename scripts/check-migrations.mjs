#!/usr/bin/env node
// Migrations are append-only: drizzle never re-runs one it has applied, so an edit to a
// committed migration never reaches a database that already ran it (accommodation's 0003 did
// exactly that; 0010 repairs it). This fails, naming the file, when a packages/*/drizzle/*.sql
// that exists on main differs in the working tree or is gone. New migrations are fine.
//
// The reference is main as this clone knows it (origin/main, else main), where a branch left it
// (their merge base). When the checked-out commit is main itself (CI runs on a clone of main),
// it is main's previous commit instead, so the commit that brought the edit in is still caught. Plain Node, no dependencies.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A migration file: `packages/<pkg>/drizzle/<name>.sql`, directly in the folder. */
export const isMigration = (path) => /^packages\/[^/]+\/drizzle\/[^/]+\.sql$/.test(path);

/**
 * The committed migrations that changed: every path of `before` (path -> content, as
 * committed) that `after` (the working tree) lacks or holds with other content. Paths only in
 * `after` are new migrations and fine.
 * @param {ReadonlyMap<string, string>} before
 * @param {ReadonlyMap<string, string>} after
 * @returns {{ path: string, change: "edited" | "deleted" }[]}
 */
export function changedMigrations(before, after) {
  const out = [];
  for (const [path, content] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isMigration(path)) continue;
    const now = after.get(path);
    if (now === undefined) out.push({ path, change: "deleted" });
    else if (now !== content) out.push({ path, change: "edited" });
  }
  return out;
}

const git = (root, ...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
const revision = (root, ref) => {
  try {
    return git(root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`).trim();
  } catch {
    return undefined;
  }
};

/** The commit whose migrations the working tree must keep, or undefined when there is no main. */
export function referenceCommit(root) {
  const main = revision(root, "origin/main") ?? revision(root, "main");
  const head = revision(root, "HEAD");
  if (main === undefined || head === undefined) return undefined;
  if (main === head) return revision(root, "HEAD~1");
  // A branch is held to main as it was when the branch left it: migrations main has gained
  // since are not missing from the branch, only not merged yet.
  try {
    return git(root, "merge-base", head, main).trim() || main;
  } catch {
    return main;
  }
}

function committedMigrations(root, commit) {
  const files = new Map();
  const paths = git(root, "ls-tree", "-r", "--name-only", commit, "--", "packages").split("\n").filter(isMigration);
  for (const path of paths) files.set(path, git(root, "show", `${commit}:${path}`));
  return files;
}

function workingMigrations(root) {
  const files = new Map();
  for (const pkg of readdirSync(join(root, "packages"), { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    let names;
    try {
      names = readdirSync(join(root, "packages", pkg.name, "drizzle"));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = `packages/${pkg.name}/drizzle/${name}`;
      if (isMigration(path)) files.set(path, readFileSync(join(root, path), "utf8"));
    }
  }
  return files;
}

function main() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const commit = referenceCommit(root);
  if (commit === undefined) {
    process.stdout.write("check-migrations: no main ref in this clone, nothing to compare with\n");
    return;
  }
  const changed = changedMigrations(committedMigrations(root, commit), workingMigrations(root));
  for (const c of changed) console.error(`✖ ${c.path} was ${c.change} after it was committed (as of ${commit.slice(0, 12)}); add a new migration instead`);
  if (changed.length > 0) process.exit(1);
  process.stdout.write(`check-migrations: every committed migration as of ${commit.slice(0, 12)} is unchanged\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
