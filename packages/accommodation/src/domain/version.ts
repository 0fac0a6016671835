import { DomainError } from "@triphub/platform/domain-error";

/**
 * Optimistic concurrency (AIP-154). Every property and room type carries a `version` counter
 * that each real change increments; its etag is derived from it. A counter rather than a hash
 * of (id, updated_at): two changes in the same millisecond still get different etags, and the
 * check is a plain integer comparison.
 */
export interface Versioned {
  version: number;
}

/** The opaque etag of a version, as sent to clients. */
export function etagOf(v: Versioned): string {
  return `"v${v.version}"`;
}

/**
 * Throws "conflict" (ABORTED) unless `expected` is the current etag. An undefined or empty
 * `expected` means the caller did not ask for a check.
 */
export function checkEtag(expected: string | undefined, current: Versioned, what: string): void {
  if (expected === undefined || expected === "") return;
  if (expected !== etagOf(current)) {
    throw new DomainError("conflict", `${what} was changed by someone else: read it again and retry`, {
      reason: "ETAG_MISMATCH",
    });
  }
}

/** `value` as changed at `now`: the next version and a new update time. */
export function touch<T extends Versioned & { updatedAt: Date }>(value: T, now: Date): T {
  return { ...value, version: value.version + 1, updatedAt: now };
}
