import { DomainError } from "@triphub/platform/domain-error";
import type { FieldViolation } from "@triphub/platform/domain-error";

/**
 * Collects field violations so a constructor reports every broken rule at once, the way
 * `google.rpc.BadRequest` lists them, instead of the first one only.
 */
export interface Violations {
  /** Records `description` against `field` unless `ok`. */
  check(ok: boolean, field: string, description: string): void;
  /** Throws one "invalid" DomainError listing everything recorded, if anything was. */
  throwIfAny(): void;
}

/** A fresh violation collector. */
export function violations(): Violations {
  const found: FieldViolation[] = [];
  return {
    check(ok, field, description) {
      if (!ok) found.push({ field, description });
    },
    throwIfAny() {
      if (found.length === 0) return;
      const message = found.map((v) => `${v.field}: ${v.description}`).join("; ");
      throw new DomainError("invalid", message, { violations: found });
    },
  };
}

/** True when every element of `values` is in `vocabulary` and none repeats. */
export function isUniqueSubset(values: readonly string[], vocabulary: readonly string[]): boolean {
  return new Set(values).size === values.length && values.every((v) => vocabulary.includes(v));
}
