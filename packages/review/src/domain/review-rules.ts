// The rules of reviewing: which stays may be reviewed, until when, who may do what.
import { DomainError, invalid } from "@triphub/platform";
import { EDITABLE_FIELDS, type EditableField, type Review, type ReviewContent } from "./review.js";

/** A stay may be reviewed for this long after its check-out. */
export const REVIEW_WINDOW_MS = 30 * 24 * 3600_000;
/** The author may edit a review for this long after writing it. */
export const EDIT_WINDOW_MS = 48 * 3600_000;

/** What review needs to know of a stay (from the reservation service). */
export interface Stay {
  reservationId: string;
  guestId: string;
  hostId: string;
  propertyId: string;
  roomTypeName: string;
  /** Check-in date, "YYYY-MM-DD". */
  checkIn: string;
  /** When the guest checked out (the check-out date at the property's check-out time). */
  checkOutAt: Date;
  completed: boolean;
}

/** Throws unless `author` may review `stay` at `now` (the caller has already checked it is theirs). */
export function assertReviewable(stay: Stay, now: Date): void {
  if (!stay.completed) {
    throw new DomainError("precondition", "only a completed stay can be reviewed", { reason: "STAY_NOT_COMPLETED" });
  }
  if (now.getTime() > stay.checkOutAt.getTime() + REVIEW_WINDOW_MS) {
    throw new DomainError("precondition", "stays can be reviewed for 30 days after check-out", { reason: "REVIEW_WINDOW_CLOSED" });
  }
}

/** Throws unless the author may still edit `review` at `now`. */
export function assertEditable(review: Review, now: Date): void {
  if (now.getTime() > review.createTime.getTime() + EDIT_WINDOW_MS) {
    throw new DomainError("precondition", "a review can be edited for 48 hours after it was written", { reason: "EDIT_WINDOW_CLOSED" });
  }
}

/** Body text must hold more than white space (the contract checks this on create; updates too). */
export function assertContent(content: ReviewContent): void {
  if (content.body.trim() === "") throw invalid("review.body", "must contain text");
}

/**
 * The content after an update of `fields` (every editable field when none are named) with the
 * values of `patch`; the fields whose value changed.
 */
export function applyEdit(
  current: ReviewContent,
  patch: ReviewContent,
  fields: readonly EditableField[],
): { content: ReviewContent; changed: EditableField[] } {
  const content = { ...current, aspects: { ...current.aspects }, photoUrls: [...current.photoUrls] };
  const changed: EditableField[] = [];
  for (const field of fields) {
    const before = JSON.stringify(fieldValue(content, field));
    setValue(content, patch, field);
    if (JSON.stringify(fieldValue(content, field)) !== before) changed.push(field);
  }
  return { content, changed };
}

/** Without an update mask: every field set (non-empty) in the patch, per AIP-134's "fields that are populated". */
export function populatedFields(patch: ReviewContent): EditableField[] {
  return EDITABLE_FIELDS.filter((f) => {
    const v = fieldValue(patch, f);
    if (typeof v === "number") return v !== 0;
    if (typeof v === "string") return v !== "";
    if (Array.isArray(v)) return v.length > 0;
    return Object.values(v).some((x) => x !== 0);
  });
}

function fieldValue(c: ReviewContent, f: EditableField) {
  switch (f) {
    case "rating":
      return c.rating;
    case "aspect_ratings":
      return c.aspects;
    case "title":
      return c.title;
    case "body":
      return c.body;
    case "language":
      return c.language;
    case "photo_urls":
      return c.photoUrls;
  }
}

function setValue(c: ReviewContent, patch: ReviewContent, f: EditableField): void {
  switch (f) {
    case "rating":
      // A rating is never removed: a masked but unset rating is a mistake.
      if (patch.rating === 0) throw invalid("review.rating", "must be 1 to 5");
      c.rating = patch.rating;
      return;
    case "aspect_ratings":
      c.aspects = { ...patch.aspects };
      return;
    case "title":
      c.title = patch.title;
      return;
    case "body":
      c.body = patch.body;
      return;
    case "language":
      c.language = patch.language;
      return;
    case "photo_urls":
      c.photoUrls = [...patch.photoUrls];
      return;
  }
}
