import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { type AuthService, AuditEventType } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { requireRole } from "@triphub/platform";
import { auditEventTypes, toProtoAuditEvent } from "../proto-mapping/audit-event.js";
import type { AuditStore } from "../store/audit-store.js";

type AuditRpcs = Pick<ServiceImpl<typeof AuthService>, "listAuditEvents">;

/** The security event trail, for ADMINs. The contract has checked sizes, ids and the time range. */
export function auditRpcs(d: { auditEvents: AuditStore }): AuditRpcs {
  return {
    async listAuditEvents(req, ctx) {
      requireRole(ctx, "ADMIN");
      const page = await d.auditEvents.list({
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        type: req.type === AuditEventType.UNSPECIFIED ? undefined : auditEventTypes.fromProto(req.type),
        actorUserId: req.actorUserId || undefined,
        subjectUserId: req.subjectUserId || undefined,
        start: req.startTime ? timestampDate(req.startTime) : undefined,
        end: req.endTime ? timestampDate(req.endTime) : undefined,
      });
      return { auditEvents: page.events.map(toProtoAuditEvent), nextPageToken: page.nextPageToken };
    },
  };
}
