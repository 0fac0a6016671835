import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { dataKeysTable } from "@triphub/platform/sealing";
import type { JWK } from "jose";
import type { StoredPrivateJwk } from "./key-sealing.js";

// Millisecond precision matches JavaScript's Date, so a timestamp read back compares equal to
// the one written, and keyset page tokens built from a Date are exact.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** Every data key of the service's sealed columns, wrapped by a key-encryption key (DATA_KEKS). */
export const dataKeys = dataKeysTable();

/**
 * Accounts. `email` and `phone` are sealed (see user-sealing.ts); `email_index`, the blind index
 * of the normalised email (see `normalizeEmail`), makes emails unique case-insensitively and
 * finds an account by email; `email_prefix_index` holds the blind indexes of its first few
 * characters, for ListUsers' prefix filter. `email_normalized` is the clear column of before
 * sealing: null once the row is sealed (at the first start of this version), dropped later.
 */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    emailNormalized: text("email_normalized"),
    emailIndex: text("email_index"),
    emailPrefixIndex: text("email_prefix_index").array(),
    // Null for accounts that only sign in through a social login provider.
    passwordHash: text("password_hash"),
    displayName: text("display_name").notNull(),
    phone: text("phone").notNull().default(""),
    locale: text("locale").notNull().default(""),
    roles: text("roles").array().notNull().default(sql`ARRAY['GUEST']::text[]`),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_normalized_key").on(t.emailNormalized),
    uniqueIndex("users_email_index_key").on(t.emailIndex),
    // ListUsers pages newest first by (created_at, id).
    index("users_created_at_id_idx").on(t.createdAt, t.id),
    // ListUsers' email_prefix filter: `email_prefix_index @> array[token]`.
    index("users_email_prefix_index_idx").using("gin", t.emailPrefixIndex),
    check("users_roles_known", sql`${t.roles} <@ ARRAY['GUEST','HOST','ADMIN']::text[]`),
  ],
);

/** Refresh tokens (hashes only). A family is one session; a spent token is kept to detect reuse. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique("refresh_tokens_token_hash_key"),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // No foreign key: old rows of a family may be purged while their children live on.
    parentId: uuid("parent_id"),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
    // The successor's secret sealed under a key derived from this token's secret (see
    // sealSuccessorSecret), so a retry within the grace window gets the same successor. Null
    // before rotation, and again once the successor is rotated or the family revoked.
    successorSealed: text("successor_sealed"),
  },
  (t) => [index("refresh_tokens_family_id_idx").on(t.familyId), index("refresh_tokens_user_id_idx").on(t.userId)],
);

/** Access-token signing keys, current and retired. */
export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").$type<JWK>().notNull(),
  // Sealed when AUTH_KEY_ENCRYPTION_KEY is set (key-sealing.ts).
  privateJwk: jsonb("private_jwk").$type<StoredPrivateJwk>().notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  retiredAt: ts("retired_at"),
});

/** Failed-login counters per throttle key (see `throttleKeys`), one fixed window each. */
export const loginFailures = pgTable("login_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: ts("window_started_at").notNull(),
});

/**
 * Social logins linked to accounts: a provider's subject (`sub`) signs into `user_id`. The
 * subject, not the email, is the identity: emails change and are reused.
 */
export const oauthIdentities = pgTable(
  "oauth_identities",
  {
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "oauth_identities_pkey", columns: [t.provider, t.subject] }), index("oauth_identities_user_id_idx").on(t.userId)],
);

/**
 * Started social logins: what CompleteOAuthLogin needs to finish one, keyed by the hash of its
 * `state`. Deleted when completed (single use) and purged once expired.
 */
export const oauthLoginStates = pgTable(
  "oauth_login_states",
  {
    stateHash: text("state_hash").primaryKey(),
    provider: text("provider").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    nonce: text("nonce").notNull(),
    // The PKCE verifier: only its S256 challenge went to the browser.
    codeVerifier: text("code_verifier").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("oauth_login_states_expires_at_idx").on(t.expiresAt)],
);

/**
 * Pending links of a provider identity to the existing account its email matched, keyed by
 * the hash of the link token; spent by LinkOAuthAccount with the account's password.
 */
export const oauthLinkTokens = pgTable(
  "oauth_link_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("oauth_link_tokens_expires_at_idx").on(t.expiresAt)],
);

/**
 * Partner API keys. The secret is `thk_live_<public_id>_<random>`: `public_id` finds the row
 * and names the key in logs, and only the SHA-256 of the whole secret is kept. A rotation adds
 * a row and sets the old one's `replaced_by` and an expiry at the end of the overlap.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    publicId: text("public_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    // Who made it: the owner, or the ADMIN who made it for them.
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
    // No foreign key: the successor is inserted in the same transaction, and either may be purged.
    replacedBy: uuid("replaced_by"),
  },
  (t) => [
    uniqueIndex("api_keys_public_id_key").on(t.publicId),
    // ListApiKeys pages one owner's keys newest first by (created_at, id).
    index("api_keys_user_id_created_at_id_idx").on(t.userId, t.createdAt, t.id),
    check("api_keys_secret_hash_sha256", sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Security events (logins, failures, role changes, API keys, admin actions): append-only, a
 * trigger refuses UPDATE, DELETE and TRUNCATE (see the migration). No secrets and no personal
 * data in clear: ids, the API key prefix, the client address and a bounded user agent only.
 * Retention is an operations matter: a rotation job would need its own role allowed past the
 * trigger (e.g. detach old monthly partitions); none is kept here yet.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    occurredAt: ts("occurred_at").notNull(),
    type: text("type").notNull(),
    outcome: text("outcome").notNull(),
    // No foreign keys: the trail outlives the accounts and keys it names.
    actorUserId: uuid("actor_user_id"),
    actorService: text("actor_service"),
    subjectUserId: uuid("subject_user_id"),
    apiKeyPrefix: text("api_key_prefix"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    // ListAuditEvents pages newest first by (occurred_at, id), optionally by type, actor or subject.
    index("audit_events_occurred_at_id_idx").on(t.occurredAt, t.id),
    index("audit_events_type_occurred_at_idx").on(t.type, t.occurredAt, t.id),
    index("audit_events_actor_occurred_at_idx").on(t.actorUserId, t.occurredAt, t.id),
    index("audit_events_subject_occurred_at_idx").on(t.subjectUserId, t.occurredAt, t.id),
    check("audit_events_outcome_known", sql`${t.outcome} IN ('SUCCESS','FAILURE')`),
    check("audit_events_user_agent_bounded", sql`length(${t.userAgent}) <= 256`),
    check("audit_events_details_bounded", sql`octet_length(${t.details}::text) <= 4096`),
  ],
);
