import type { Clock } from "@triphub/platform";
import { type NewAuditEvent, originFields, type RequestOrigin } from "./domain/audit-event.js";
import type { AuditStore } from "./store/audit-store.js";
import type { AuthTx } from "./store/db.js";

/** What a flow says about an event; the trail adds the time and where the request came from. */
export type AuditFacts = Omit<NewAuditEvent, "occurredAt" | "clientIp" | "userAgent">;

/** Records security events stamped with the service's clock. */
export interface AuditTrail {
  /** Appends an event; with `tx`, in that transaction, so it commits or rolls back with the change. */
  record(facts: AuditFacts, origin: RequestOrigin | undefined, tx?: AuthTx): Promise<void>;
}

/** The audit trail over `store`. */
export function createAuditTrail(store: AuditStore, now: Clock): AuditTrail {
  return {
    record(facts, origin, tx) {
      const { clientIp, userAgent } = originFields(origin);
      return store.record({ ...facts, occurredAt: now(), clientIp, userAgent }, tx);
    },
  };
}
