// The use cases of partner API keys: each spans the key store, the user store and the key ring
// (verification ends in a token issue), so they live beside the account flows, not in rpcs/.
import type { Clock, Logger } from "@triphub/platform";
import { DomainError, notFound } from "@triphub/platform/domain-error";
import type { AuditTrail } from "./audit-trail.js";
import type { RequestOrigin } from "./domain/audit-event.js";
import {
  type ApiKey,
  apiKeyPrefix,
  checkNewApiKey,
  hashApiKeySecret,
  isUsable,
  newApiKeySecret,
  publicIdOf,
  rotationEnd,
  type ScopeCatalog,
  secretMatches,
} from "./domain/api-key.js";
import { type IssuedAccessToken, issueApiKeyAccessToken } from "./domain/tokens.js";
import type { User } from "./domain/user.js";
import type { ApiKeyPage, ApiKeyStore } from "./store/api-key-store.js";
import type { KeyRing } from "./store/key-ring.js";
import type { UserStore } from "./store/user-store.js";

/** Who asks: their id, and whether they may act on other users' keys. */
export interface ApiKeyActor {
  userId: string;
  isAdmin: boolean;
}

/** What the API key flows need. */
export interface ApiKeyFlowDeps {
  store: ApiKeyStore;
  users: UserStore;
  keys: KeyRing;
  audit: AuditTrail;
  catalog: ScopeCatalog;
  /** Issuer, audience and lifetime of the access tokens minted for keys. */
  tokens: { issuer: string; audience: string; ttlSeconds: number };
  now: Clock;
  log: Logger;
}

/** A key with the secret it was just given: the only time the secret exists outside the caller. */
export interface KeyWithSecret {
  key: ApiKey;
  secret: string;
}

/** A verified key: the key, its owner and an access token for the owner naming the key. */
export interface VerifiedApiKey {
  key: ApiKey;
  owner: User;
  accessToken: IssuedAccessToken;
}

// One answer for every refused secret, so a caller learns nothing about which keys exist.
const refused = () => new DomainError("unauthenticated", "invalid API key");

/** Creating, listing, revoking, rotating and verifying API keys. */
export function createApiKeyFlows(d: ApiKeyFlowDeps) {
  /** `userId` when the actor may manage that user's keys; someone else's without ADMIN is "forbidden". */
  async function ownerFor(actor: ApiKeyActor, userId: string | undefined): Promise<User> {
    const target = userId || actor.userId;
    if (target !== actor.userId && !actor.isAdmin) throw new DomainError("forbidden", "only an ADMIN manages another user's API keys");
    const owner = await d.users.findById(target);
    if (!owner) throw notFound("user", target);
    return owner;
  }

  async function ownerOf(key: ApiKey): Promise<User> {
    const owner = await d.users.findById(key.userId);
    if (!owner) throw notFound("user", key.userId);
    return owner;
  }

  /** The key `id` if the actor may manage it; another user's key is "not_found" to a non-admin, as a missing one. */
  async function managedKey(actor: ApiKeyActor, id: string): Promise<ApiKey> {
    const key = await d.store.findById(id);
    if (!key || (key.userId !== actor.userId && !actor.isAdmin)) throw notFound("API key", id);
    return key;
  }

  return {
    async create(
      actor: ApiKeyActor,
      input: { userId?: string; name: string; scopes: readonly string[]; expiresAt?: Date },
      origin?: RequestOrigin,
    ): Promise<KeyWithSecret & { owner: User }> {
      const now = d.now();
      checkNewApiKey(input, d.catalog, now);
      const owner = await ownerFor(actor, input.userId);
      const { secret, publicId } = newApiKeySecret();
      const key = await d.store.insert(
        {
          userId: owner.id,
          name: input.name,
          publicId,
          secretHash: hashApiKeySecret(secret),
          scopes: [...input.scopes],
          createdBy: actor.userId,
          createdAt: now,
          expiresAt: input.expiresAt,
        },
        (tx, created) =>
          d.audit.record(
            {
              type: "API_KEY_CREATE",
              outcome: "SUCCESS",
              actorUserId: actor.userId,
              subjectUserId: owner.id,
              apiKeyPrefix: apiKeyPrefix(publicId),
              details: { api_key_id: created.id, scopes: created.scopes.length.toString() },
            },
            origin,
            tx,
          ),
      );
      d.log.info({ apiKey: apiKeyPrefix(publicId), apiKeyId: key.id, userId: owner.id, createdBy: actor.userId }, "API key created");
      return { key, secret, owner };
    },

    async list(actor: ApiKeyActor, query: { userId?: string; pageSize?: number; pageToken?: string }): Promise<ApiKeyPage & { owner: User }> {
      const owner = await ownerFor(actor, query.userId);
      return { ...(await d.store.listForUser(owner.id, query)), owner };
    },

    async revoke(actor: ApiKeyActor, id: string, origin?: RequestOrigin): Promise<{ key: ApiKey; owner: User }> {
      const before = await managedKey(actor, id);
      const key = await d.store.revoke(id, d.now(), (tx, revoked) =>
        d.audit.record(
          {
            type: "API_KEY_REVOKE",
            outcome: "SUCCESS",
            actorUserId: actor.userId,
            subjectUserId: revoked.userId,
            apiKeyPrefix: apiKeyPrefix(revoked.publicId),
            details: { api_key_id: revoked.id, already_revoked: String(before.revokedAt !== undefined) },
          },
          origin,
          tx,
        ),
      );
      d.log.info({ apiKey: apiKeyPrefix(key.publicId), apiKeyId: key.id, revokedBy: actor.userId }, "API key revoked");
      return { key, owner: await ownerOf(key) };
    },

    async rotate(actor: ApiKeyActor, id: string, overlapSeconds: number, origin?: RequestOrigin): Promise<KeyWithSecret & { previous: ApiKey; owner: User }> {
      const old = await managedKey(actor, id);
      const now = d.now();
      const { secret, publicId } = newApiKeySecret();
      const successor = {
        userId: old.userId,
        name: old.name,
        publicId,
        secretHash: hashApiKeySecret(secret),
        scopes: old.scopes,
        createdBy: actor.userId,
        expiresAt: old.expiresAt,
      };
      const { previous, next } = await d.store.rotate(
        id,
        successor,
        now,
        (locked) => rotationEnd(locked, overlapSeconds, now),
        (tx, rotated) =>
          d.audit.record(
            {
              type: "API_KEY_ROTATE",
              outcome: "SUCCESS",
              actorUserId: actor.userId,
              subjectUserId: rotated.next.userId,
              apiKeyPrefix: apiKeyPrefix(rotated.next.publicId),
              details: {
                api_key_id: rotated.next.id,
                previous_api_key_id: rotated.previous.id,
                previous_api_key_prefix: apiKeyPrefix(rotated.previous.publicId),
                overlap_seconds: String(overlapSeconds),
              },
            },
            origin,
            tx,
          ),
      );
      d.log.info(
        { apiKey: apiKeyPrefix(publicId), apiKeyId: next.id, previousApiKey: apiKeyPrefix(previous.publicId), oldKeyEndsAt: previous.expiresAt, rotatedBy: actor.userId },
        "API key rotated",
      );
      return { key: next, secret, previous, owner: await ownerOf(next) };
    },

    /** The key a secret belongs to, if usable now; "unauthenticated" with one message otherwise. */
    async verify(secret: string, origin?: RequestOrigin): Promise<VerifiedApiKey> {
      const now = d.now();
      const publicId = publicIdOf(secret);
      if (publicId === undefined) throw refused();
      const key = await d.store.findByPublicId(publicId);
      const owner = key && secretMatches(secret, key.secretHash) && isUsable(key, now) ? await d.users.findById(key.userId) : undefined;
      if (!key || !owner) {
        // The prefix of a well-formed secret is not secret: it tells which key a partner fumbled.
        d.log.info({ apiKey: apiKeyPrefix(publicId) }, "API key refused");
        throw refused();
      }
      // One event per key a minute at most, not one per request: written only by the call whose
      // touch moved last_used_at (the first use, or the first a minute after the last written).
      await d.store.touch(key.id, now, (tx) =>
        d.audit.record(
          {
            type: "API_KEY_USE",
            outcome: "SUCCESS",
            actorService: origin?.service,
            subjectUserId: key.userId,
            apiKeyPrefix: apiKeyPrefix(key.publicId),
            details: { api_key_id: key.id },
          },
          origin,
          tx,
        ),
      );
      const accessToken = await issueApiKeyAccessToken(
        await d.keys.signingKey(),
        { userId: owner.id, roles: owner.roles, apiKeyId: key.id, scopes: key.scopes },
        { ...d.tokens, now },
      );
      return { key, owner, accessToken };
    },
  };
}

/** The API key flows of one auth instance. */
export type ApiKeyFlows = ReturnType<typeof createApiKeyFlows>;
