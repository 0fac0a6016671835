// Who the demo history's stays belong to: the demo accounts auth's seed made
// (packages/auth/src/seed), read from auth's database by their ids.
import { uuidFromName } from "@triphub/platform";
import type { Sql } from "postgres";

/** A guest as a booking's contact shows them. */
export interface SeedGuest {
  id: string;
  fullName: string;
  email: string;
}

/** The reviewers, by email, and the demo guest when there is one. */
export interface DemoGuests {
  reviewers: SeedGuest[];
  demoGuest: SeedGuest | undefined;
}

// As auth's seed makes them (demo-users.ts there): deterministic ids and emails. Emails are
// sealed in auth's database, so the accounts are found by id.
const REVIEWER_EMAIL_DOMAIN = "reviewers.demo.triphub.test";
const DEMO_GUEST_EMAIL = "guest@demo.triphub.test";
// More than auth's seed makes (150 by default); the ones that do not exist are not found.
const MAX_REVIEWERS = 1000;

/** The demo accounts of auth's seed `seed` in auth's database `sql`. */
export async function readDemoGuests(sql: Sql, seed = 1): Promise<DemoGuests> {
  const reviewerEmail = new Map(
    Array.from({ length: MAX_REVIEWERS }, (_, i) => [uuidFromName(`triphub-demo/${seed}/reviewer/${i}`), `reviewer-${String(i + 1).padStart(3, "0")}@${REVIEWER_EMAIL_DOMAIN}`]),
  );
  const demoId = uuidFromName(`triphub-demo/${seed}/guest`);
  const rows = await sql<{ id: string; display_name: string }[]>`
    select id, display_name from users where id = any(${[...reviewerEmail.keys(), demoId]}::uuid[])`;
  const guest = (r: (typeof rows)[number], email: string): SeedGuest => ({ id: r.id, fullName: r.display_name, email });
  const demo = rows.find((r) => r.id === demoId);
  const reviewers = rows
    .filter((r) => r !== demo)
    .map((r) => guest(r, reviewerEmail.get(r.id)!))
    .sort((a, b) => a.email.localeCompare(b.email));
  return { reviewers, demoGuest: demo && guest(demo, DEMO_GUEST_EMAIL) };
}
