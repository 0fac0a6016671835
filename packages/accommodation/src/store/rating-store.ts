import { isUuid } from "@triphub/platform/ids";
import { and, eq, lt } from "drizzle-orm";
import type { RatingSummary } from "../domain/property.js";
import type { AccommodationTx } from "./db.js";
import { appendEvents } from "./outbox.js";
import { properties } from "./schema.js";

/** The review service's figures for one property, as of `version` (its RatingStatistics.version). */
export interface RatingUpdate {
  propertyId: string;
  summary: RatingSummary;
  version: bigint;
}

/**
 * Mirrors the review service's figures into the property, in `tx`, and records
 * RatingSummaryUpdated; only when `version` is newer than the figures stored, so a copy
 * delivered twice or after a newer one changes nothing. Hosts do not edit these figures, so the
 * etag stays. Resolves to whether anything changed (false too for a property accommodation
 * does not have, say one deleted since it was reviewed).
 */
export async function applyRatingUpdate(tx: AccommodationTx, u: RatingUpdate): Promise<boolean> {
  if (!isUuid(u.propertyId)) return false;
  const rows = await tx
    .update(properties)
    .set({ ratingAverage: u.summary.average, ratingCount: u.summary.count, ratingScore: u.summary.rankingScore, ratingVersion: u.version })
    .where(and(eq(properties.id, u.propertyId), lt(properties.ratingVersion, u.version)))
    .returning({ id: properties.id });
  if (rows.length === 0) return false;
  await appendEvents(tx, [{ type: "RatingSummaryUpdated", propertyId: u.propertyId, ratingSummary: u.summary }]);
  return true;
}
