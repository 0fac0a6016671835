// Security events as auth records them. Pure data: the flows build them, the audit store keeps
// them, ListAuditEvents shows them. Nothing here may carry a secret or personal data in clear.

/** The kinds of security events, as stored (the proto's AuditEventType without its prefix). */
export const AUDIT_EVENT_TYPES = [
  "SIGN_UP",
  "LOGIN",
  "LOGIN_THROTTLED",
  "LOGOUT",
  "REFRESH_TOKEN_REUSE",
  "PASSWORD_CHANGE",
  "ROLES_CHANGE",
  "API_KEY_CREATE",
  "API_KEY_ROTATE",
  "API_KEY_REVOKE",
  "API_KEY_USE",
  "OAUTH_LOGIN",
  "OAUTH_LINK",
  "SIGNING_KEY_ROTATE",
] as const;

/** A kind of security event. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Whether the recorded action happened. */
export type AuditOutcome = "SUCCESS" | "FAILURE";

/** Why a login failed; unknown account and wrong password share the type LOGIN and differ here only. */
export type LoginFailureReason = "UNKNOWN_ACCOUNT" | "WRONG_PASSWORD" | "NO_PASSWORD";

/** Where a request came from: set by the RPC layer from its context, not by the caller. */
export interface RequestOrigin {
  clientIp?: string;
  userAgent?: string;
  /** The calling service, for internal RPCs (e.g. "gateway"). */
  service?: string;
}

/** A security event to record. */
export interface NewAuditEvent {
  type: AuditEventType;
  outcome: AuditOutcome;
  occurredAt: Date;
  actorUserId?: string;
  actorService?: string;
  subjectUserId?: string;
  apiKeyPrefix?: string;
  clientIp?: string;
  userAgent?: string;
  /** Reason codes, ids, roles: never secrets, emails or other personal data. */
  details?: Readonly<Record<string, string>>;
}

/** A recorded security event. */
export interface AuditEvent extends Omit<NewAuditEvent, "type"> {
  id: string;
  /** Undefined for a type this version does not know (written by a newer one). */
  type: AuditEventType | undefined;
  details: Readonly<Record<string, string>>;
}

/** The longest user agent kept; longer ones are cut (the column refuses more). */
export const MAX_USER_AGENT_LENGTH = 256;

/**
 * `origin`'s address and user agent, cut to its bound. Not the calling service: every call
 * through the gateway has one, so an event names a service as its actor only when the service
 * itself acted (verifying an API key).
 */
export function originFields(origin: RequestOrigin | undefined): Pick<NewAuditEvent, "clientIp" | "userAgent"> {
  const ua = origin?.userAgent?.slice(0, MAX_USER_AGENT_LENGTH);
  return {
    clientIp: origin?.clientIp && origin.clientIp !== "unknown" ? origin.clientIp : undefined,
    userAgent: ua || undefined,
  };
}

/** Whether `value` names a kind of event (for rows read back). */
export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}
