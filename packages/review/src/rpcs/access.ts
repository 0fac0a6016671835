// Who may see a review, and who sees whose ids. Hidden reviews exist only for their author and
// admins; to anyone else they are NOT_FOUND, like reviews that never were.
import type { HandlerContext } from "@connectrpc/connect";
import { DomainError, type Identity, identityKey, notFound } from "@triphub/platform";
import type { Review } from "../domain/review.js";

export const isAdmin = (user: Identity | undefined) => user?.roles.includes("ADMIN") ?? false;

/** Whether the caller sees the review's author id and reservation: its author and admins. */
export function seesAuthor(ctx: HandlerContext, r: Review): boolean {
  const user = ctx.values.get(identityKey);
  return user !== undefined && (user.userId === r.authorId || isAdmin(user));
}

/** `r` when the caller may see it; NOT_FOUND otherwise (and when there is none). */
export function visible(ctx: HandlerContext, reviewId: string, r: Review | undefined): Review {
  if (!r || (r.status !== "published" && !seesAuthor(ctx, r))) throw notFound("review", reviewId);
  return r;
}

/** Throws ABORTED when the caller's etag is stale (AIP-154); an empty etag skips the check. */
export function assertEtag(etag: string, current: string): void {
  if (etag !== "" && etag !== current) {
    throw new DomainError("conflict", "the review changed since it was read: read it again and reapply the change");
  }
}
