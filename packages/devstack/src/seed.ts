import { spawn } from "node:child_process";
import { once } from "node:events";

/** Runs a package's seed script (`packages/<path>`) as a child process; resolves to its output. */
async function runSeed(root: string, script: string, args: string[], what: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", `packages/${script}`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c));
  child.stderr?.on("data", (c: Buffer) => (output += c));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`seeding ${what} failed (exit ${code}):\n${output.slice(-2000)}`);
  return output;
}

/** The fields of the JSON log line whose message is `msg`, or {} when there is none. */
function logLine(output: string, msg: string): Record<string, unknown> {
  for (const line of output.split("\n")) {
    if (!line.includes(msg)) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // Not JSON: keep looking.
    }
  }
  return {};
}

/**
 * Loads the demo catalogue into an empty accommodation database, so a newcomer's first search
 * finds something. A database that already has properties is left as it is.
 */
export async function seedCatalogue(root: string, databaseUrl: string, properties: number): Promise<string> {
  const output = await runSeed(root, "accommodation/src/seed/main.ts", ["--if-empty", "--properties", String(properties)], "the demo catalogue", {
    DATABASE_URL: databaseUrl,
  });
  return output.includes("seed skipped") ? "kept the existing catalogue" : `loaded ${properties} demo properties`;
}

/**
 * Creates the demo accounts that are missing: the reviewers behind the demo history and the
 * demo guest, whose password is in `passwordFile` (read by the seed; never on a command line).
 */
export async function seedDemoUsers(root: string, databaseUrl: string, passwordFile: string, sealingKeys: Record<string, string>): Promise<string> {
  // The accounts' email and phone are sealed with auth's own keys.
  const output = await runSeed(root, "auth/src/seed/main.ts", ["--demo-guest-password-file", passwordFile], "the demo users", {
    DATABASE_URL: databaseUrl,
    ...sealingKeys,
  });
  const r = logLine(output, "demo users seeded");
  const reviewers = Number(r.reviewersCreated ?? 0) + Number(r.reviewersKept ?? 0);
  const created = Number(r.reviewersCreated ?? 0) > 0 || r.demoGuest === "created";
  const guest = r.demoGuest === "password_differs" ? " (its password was changed since: the file no longer matches)" : "";
  return `${created ? "created" : "kept"} ${reviewers} reviewers and the demo guest${guest}`;
}

/** The demo guest's email (auth's seed makes the account). */
export const DEMO_GUEST_EMAIL = "guest@demo.triphub.test";

/** Where the demo history is written and what it is read from. */
export interface DemoStayDatabases {
  reservation: string;
  accommodation: string;
  auth: string;
}

/**
 * Writes the demo history that is missing: the reviewers' completed stays across the catalogue
 * and the demo guest's recent ones (a fresh one when an old data folder has none left to review),
 * sealed with reservation's `sealingKeys` (DATA_KEKS).
 */
export async function seedDemoStays(root: string, urls: DemoStayDatabases, sealingKeys: Record<string, string>): Promise<string> {
  const output = await runSeed(root, "reservation/src/seed/main.ts", [], "the demo stays", {
    // Reservation's own keys: the guests' contacts and card tokens are sealed as the service seals them.
    ...sealingKeys,
    DATABASE_URL: urls.reservation,
    ACCOMMODATION_DATABASE_URL: urls.accommodation,
    AUTH_DATABASE_URL: urls.auth,
  });
  const r = logLine(output, "demo stays seeded");
  const written = Number(r.reviewerStaysWritten ?? 0);
  const guest = Number(r.demoGuestStaysWritten ?? 0);
  const reviewers = written > 0 ? `wrote ${written} completed stays` : "kept the completed stays";
  return `${reviewers}${guest > 0 ? `, ${guest} new for the demo guest` : ""}`;
}

/** Where the demo reviews are written and what they are read from. */
export interface DemoReviewDatabases {
  review: string;
  reservation: string;
  auth: string;
}

/**
 * Writes the demo reviews that are missing, for most reviewers' completed stays (never the demo
 * guest's: those are the newcomer's to review); accommodation then mirrors the ratings.
 */
export async function seedDemoReviews(root: string, urls: DemoReviewDatabases): Promise<string> {
  const output = await runSeed(root, "review/src/seed/main.ts", [], "the demo reviews", {
    DATABASE_URL: urls.review,
    RESERVATION_DATABASE_URL: urls.reservation,
    AUTH_DATABASE_URL: urls.auth,
  });
  const r = logLine(output, "demo reviews seeded");
  const written = Number(r.written ?? 0);
  return written > 0 ? `wrote ${written} reviews of ${Number(r.properties ?? 0)} properties` : `kept the ${Number(r.total ?? 0)} reviews`;
}
