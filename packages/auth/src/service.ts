import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { Clock, Logger } from "@triphub/platform";
import type { AccountFlows } from "./account-flows.js";
import type { ApiKeyFlows } from "./api-key-flows.js";
import type { AuditTrail } from "./audit-trail.js";
import type { OAuthFlows } from "./oauth-flows.js";
import { accountRpcs } from "./rpcs/account-rpcs.js";
import { apiKeyRpcs } from "./rpcs/api-key-rpcs.js";
import { auditRpcs } from "./rpcs/audit-rpcs.js";
import { keyRpcs } from "./rpcs/key-rpcs.js";
import { oauthRpcs } from "./rpcs/oauth-rpcs.js";
import { sessionRpcs } from "./rpcs/session-rpcs.js";
import { profileRpcs } from "./rpcs/profile-rpcs.js";
import { userAdminRpcs } from "./rpcs/user-admin-rpcs.js";
import type { AuditStore } from "./store/audit-store.js";
import type { KeyRing } from "./store/key-ring.js";
import type { SessionStore } from "./store/session-store.js";
import type { UserStore } from "./store/user-store.js";

/** What the auth RPCs need. */
export interface AuthServiceDeps {
  accounts: AccountFlows;
  oauth: OAuthFlows;
  apiKeys: ApiKeyFlows;
  users: UserStore;
  keys: KeyRing;
  sessions: SessionStore;
  /** Where the RPCs record what they change themselves (roles, signing keys). */
  audit: AuditTrail;
  /** The trail ListAuditEvents reads. */
  auditEvents: AuditStore;
  log: Logger;
  now: Clock;
}

/** The AuthService RPCs: protos in, account flows, protos out. */
export function createAuthService(d: AuthServiceDeps): Partial<ServiceImpl<typeof AuthService>> {
  return {
    ...accountRpcs(d),
    ...sessionRpcs(d),
    ...userAdminRpcs(d),
    ...profileRpcs(d),
    ...keyRpcs(d),
    ...oauthRpcs(d),
    ...apiKeyRpcs(d),
    ...auditRpcs(d),
  };
}
