// Who the demo history's stays belong to: the demo accounts auth's seed made
// (packages/auth/src/seed), read from auth's database by their emails.
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

// As auth's seed writes them (demo-users.ts there).
const REVIEWER_EMAIL_DOMAIN = "reviewers.demo.triphub.test";
const DEMO_GUEST_EMAIL = "guest@demo.triphub.test";

/** The demo accounts in auth's database `sql`. */
export async function readDemoGuests(sql: Sql): Promise<DemoGuests> {
  const rows = await sql<{ id: string; display_name: string; email: string; email_normalized: string }[]>`
    select id, display_name, email, email_normalized from users
    where email_normalized like ${`%@${REVIEWER_EMAIL_DOMAIN}`} or email_normalized = ${DEMO_GUEST_EMAIL}
    order by email_normalized`;
  const guest = (r: (typeof rows)[number]): SeedGuest => ({ id: r.id, fullName: r.display_name, email: r.email });
  const demo = rows.find((r) => r.email_normalized === DEMO_GUEST_EMAIL);
  return { reviewers: rows.filter((r) => r !== demo).map(guest), demoGuest: demo && guest(demo) };
}
