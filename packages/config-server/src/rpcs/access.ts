// Who is writing, and whether what they write fits the service's settings schema. Who MAY write
// is the proto's `callers` option (the deploy pipeline's identity, or a user with ADMIN),
// enforced by the chassis before a handler runs.
import type { HandlerContext } from "@connectrpc/connect";
import { callerServiceKey, DomainError, type FieldViolation, identityKey, parseSettings, settingsSchemaOf, valueField } from "@triphub/platform";

/** The author of a change: the calling service's identity, or the user's id. */
export function authorOf(ctx: HandlerContext): string {
  const author = ctx.values.get(callerServiceKey) ?? ctx.values.get(identityKey)?.userId;
  // The chassis let the call in, so one of them is known; refuse rather than write anonymously.
  if (!author) throw new DomainError("unauthenticated", "who is changing the configuration is unknown");
  return author;
}

/**
 * Where `values` do not fit `service`'s settings message: each key parsed to its field, then
 * the message's rules. Empty when they fit.
 */
export function violationsOf(service: string, values: Record<string, string>): FieldViolation[] {
  const schema = settingsSchemaOf(service);
  if (!schema) {
    return Object.keys(values).map((key) => ({
      field: valueField(key),
      description: `${service} declares no settings (no triphub.config.v1 message names it with settings_of)`,
    }));
  }
  const parsed = parseSettings(schema, values);
  return parsed.ok ? [] : parsed.violations;
}

/** INVALID_ARGUMENT listing every bad key, when `values` do not fit `service`'s settings. */
export function checkValues(service: string, values: Record<string, string>): void {
  const violations = violationsOf(service, values);
  if (violations.length > 0) {
    const listed = violations.map((v) => `${v.field} ${v.description}`).join("; ");
    throw new DomainError("invalid", `these values do not fit ${service}'s settings: ${listed}`, { violations });
  }
}
