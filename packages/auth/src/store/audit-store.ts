import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { timestamptz } from "@triphub/platform/store-helpers";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { type AuditEvent, type AuditEventType, isAuditEventType, type NewAuditEvent } from "../domain/audit-event.js";
import type { AuthDb, AuthTx } from "./db.js";
import { auditEvents } from "./schema.js";

/** ListAuditEvents page size when the caller asks for 0. */
export const DEFAULT_AUDIT_PAGE_SIZE = 50;
/** The largest page ListAuditEvents returns. */
export const MAX_AUDIT_PAGE_SIZE = 200;

/** Filters and paging of `AuditStore.list`. */
export interface AuditQuery {
  pageSize?: number;
  /** `nextPageToken` of the previous page with the same filters (else "invalid"). */
  pageToken?: string;
  type?: AuditEventType;
  actorUserId?: string;
  subjectUserId?: string;
  /** Inclusive. */
  start?: Date;
  /** Exclusive. */
  end?: Date;
}

/** One page of events, newest first; `nextPageToken` is "" on the last page. */
export interface AuditPage {
  events: AuditEvent[];
  nextPageToken: string;
}

/** The append-only trail of security events (the database refuses updates and deletes). */
export interface AuditStore {
  /** Appends an event; with `tx`, inside that transaction (so it commits with the change it records). */
  record(event: NewAuditEvent, tx?: AuthTx): Promise<void>;
  /** Events newest first by (occurred_at, id), with keyset page tokens bound to the filters. */
  list(query: AuditQuery): Promise<AuditPage>;
}

type Row = typeof auditEvents.$inferSelect;

function toEvent(row: Row): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    type: isAuditEventType(row.type) ? row.type : undefined,
    outcome: row.outcome === "SUCCESS" ? "SUCCESS" : "FAILURE",
    actorUserId: row.actorUserId ?? undefined,
    actorService: row.actorService ?? undefined,
    subjectUserId: row.subjectUserId ?? undefined,
    apiKeyPrefix: row.apiKeyPrefix ?? undefined,
    clientIp: row.clientIp ?? undefined,
    userAgent: row.userAgent ?? undefined,
    details: row.details,
  };
}

/** The audit store over `db`. */
export function createAuditStore(db: AuthDb): AuditStore {
  return {
    async record(event, tx) {
      await (tx ?? db).insert(auditEvents).values({
        occurredAt: event.occurredAt,
        type: event.type,
        outcome: event.outcome,
        actorUserId: event.actorUserId ?? null,
        actorService: event.actorService ?? null,
        subjectUserId: event.subjectUserId ?? null,
        apiKeyPrefix: event.apiKeyPrefix ?? null,
        clientIp: event.clientIp ?? null,
        userAgent: event.userAgent ?? null,
        details: { ...event.details },
      });
    },

    async list(query) {
      const size = pageSize(query.pageSize, DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE);
      const scope = JSON.stringify([
        query.type ?? null,
        query.actorUserId ?? null,
        query.subjectUserId ?? null,
        query.start?.toISOString() ?? null,
        query.end?.toISOString() ?? null,
      ]);
      const filters: SQL[] = [];
      if (query.type) filters.push(eq(auditEvents.type, query.type));
      if (query.actorUserId) filters.push(eq(auditEvents.actorUserId, query.actorUserId));
      if (query.subjectUserId) filters.push(eq(auditEvents.subjectUserId, query.subjectUserId));
      if (query.start) filters.push(gte(auditEvents.occurredAt, query.start));
      if (query.end) filters.push(lt(auditEvents.occurredAt, query.end));
      if (query.pageToken) {
        const after = decodePageToken(query.pageToken, "ListAuditEvents", scope);
        filters.push(sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < (${timestamptz(after.at)}, ${after.id}::uuid)`);
      }
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...filters))
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(size + 1);
      const events = rows.slice(0, size).map(toEvent);
      const last = events[events.length - 1];
      return { events, nextPageToken: rows.length > size && last ? encodePageToken({ at: last.occurredAt, id: last.id }, scope) : "" };
    },
  };
}
