// What a configuration version is and the rule for writing the next one. No I/O here.
import { DomainError } from "@triphub/platform/domain-error";

/** One immutable version of a service's settings in an environment. */
export interface ConfigVersion {
  service: string;
  environment: string;
  /** 1 for the first write, then +1 per write. */
  version: number;
  values: Record<string, string>;
  /** A user id or a service identity. */
  author: string;
  comment: string;
  /** Set when a rollback wrote it: the version whose values it restored. */
  restoredVersion?: number;
  createdAt: Date;
}

/** A version about to be written (its number is decided when it is). */
export type NewConfigVersion = Omit<ConfigVersion, "version">;

/**
 * The number of the next version after `latest` (0: never configured), or a conflict when the
 * writer based the change on another version than the latest (`expected`, when it says).
 */
export function nextVersion(latest: number, expected: number | undefined): number {
  if (expected !== undefined && expected !== latest) throw staleVersion(expected, latest);
  return latest + 1;
}

/** ABORTED: the change was based on `expected`, which is no longer the latest version. */
export function staleVersion(expected: number, latest?: number): DomainError {
  const now = latest === undefined ? "another version was written meanwhile" : `the latest version is ${latest}`;
  return new DomainError("conflict", `the configuration changed: the change was based on version ${expected} but ${now}; read it again and reapply the change`, {
    reason: "STALE_VERSION",
  });
}

/** The comment of a rollback that was given none. */
export const rollbackComment = (to: number) => `rollback to version ${to}`;
