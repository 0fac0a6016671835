// The demo history of `npm start`: the reviewers' completed stays across the catalogue and the
// demo guest's recent ones, which review's seed then writes reviews for.
import type { Sealer } from "@triphub/platform/sealing";
import type { Sql } from "postgres";
import type { CatalogueProperty } from "./catalogue.js";
import { listCompletedStays } from "./completed-stays.js";
import type { DemoGuests } from "./guests.js";
import { addDays, planDemoGuestStays, planFreshDemoGuestStay, planReviewerStays } from "./plan.js";
import { writeStays } from "./write-stays.js";

/** How old the demo guest's newest completed stay may be before another is added (review's window is 30). */
export const DEMO_GUEST_FRESH_DAYS = 20;

/** What to seed from. */
export interface StayHistoryOptions {
  catalogue: readonly CatalogueProperty[];
  guests: DemoGuests;
  seed: number;
  now: Date;
  /** Seals the guests' contacts and card tokens, as the service does (its DATA_KEKS). */
  sealer: Sealer;
}

/** What a run wrote. */
export interface StayHistoryResult {
  /** The reviewers' stays planned and how many of them were new. */
  reviewerStays: number;
  reviewerStaysWritten: number;
  /** The demo guest's stays written (0 when there is no demo guest or nothing was missing). */
  demoGuestStaysWritten: number;
}

/**
 * Writes whatever of the demo history is missing: the reviewers' stays and the demo guest's
 * first three (by their seed-derived ids, so a re-run writes nothing twice), then, if the demo
 * guest has no completed stay that checked out in the last {@link DEMO_GUEST_FRESH_DAYS} days
 * (an old data folder), one more that checked out two days ago.
 */
export async function seedStayHistory(sql: Sql, o: StayHistoryOptions): Promise<StayHistoryResult> {
  const plan = { seed: o.seed, now: o.now };
  const reviewerStays = planReviewerStays(o.catalogue, o.guests.reviewers, plan);
  const reviewerStaysWritten = await writeStays(sql, o.sealer, reviewerStays);
  let demoGuestStaysWritten = 0;
  const guest = o.guests.demoGuest;
  if (guest && o.catalogue.length > 0) {
    demoGuestStaysWritten += await writeStays(sql, o.sealer, planDemoGuestStays(o.catalogue, guest, plan));
    const since = addDays(o.now.toISOString().slice(0, 10), -DEMO_GUEST_FRESH_DAYS);
    const recent = (await listCompletedStays(sql, { guestId: guest.id })).some((s) => s.checkOut >= since);
    const fresh = recent ? undefined : planFreshDemoGuestStay(o.catalogue, guest, plan);
    if (fresh) demoGuestStaysWritten += await writeStays(sql, o.sealer, [fresh]);
  }
  return { reviewerStays: reviewerStays.length, reviewerStaysWritten, demoGuestStaysWritten };
}
