import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AuditEventSchema,
  AuditEventType as ProtoType,
  AuditOutcome as ProtoOutcome,
  type AuditEvent as ProtoAuditEvent,
} from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { enumMapping } from "@triphub/platform";
import type { AuditEvent, AuditEventType } from "../domain/audit-event.js";

/** Domain event types and their proto values. */
export const auditEventTypes = enumMapping<AuditEventType, ProtoType>(
  {
    SIGN_UP: ProtoType.SIGN_UP,
    LOGIN: ProtoType.LOGIN,
    LOGIN_THROTTLED: ProtoType.LOGIN_THROTTLED,
    LOGOUT: ProtoType.LOGOUT,
    REFRESH_TOKEN_REUSE: ProtoType.REFRESH_TOKEN_REUSE,
    PASSWORD_CHANGE: ProtoType.PASSWORD_CHANGE,
    ROLES_CHANGE: ProtoType.ROLES_CHANGE,
    API_KEY_CREATE: ProtoType.API_KEY_CREATE,
    API_KEY_ROTATE: ProtoType.API_KEY_ROTATE,
    API_KEY_REVOKE: ProtoType.API_KEY_REVOKE,
    API_KEY_USE: ProtoType.API_KEY_USE,
    OAUTH_LOGIN: ProtoType.OAUTH_LOGIN,
    OAUTH_LINK: ProtoType.OAUTH_LINK,
    SIGNING_KEY_ROTATE: ProtoType.SIGNING_KEY_ROTATE,
  },
  "audit event type",
);

/** The proto form of a recorded event. */
export function toProtoAuditEvent(e: AuditEvent): ProtoAuditEvent {
  return create(AuditEventSchema, {
    auditEventId: e.id,
    occurTime: timestampFromDate(e.occurredAt),
    type: e.type === undefined ? ProtoType.UNSPECIFIED : auditEventTypes.toProto(e.type),
    outcome: e.outcome === "SUCCESS" ? ProtoOutcome.SUCCESS : ProtoOutcome.FAILURE,
    actorUserId: e.actorUserId ?? "",
    actorService: e.actorService ?? "",
    subjectUserId: e.subjectUserId ?? "",
    apiKeyPrefix: e.apiKeyPrefix ?? "",
    clientIp: e.clientIp ?? "",
    userAgent: e.userAgent ?? "",
    details: { ...e.details },
  });
}
