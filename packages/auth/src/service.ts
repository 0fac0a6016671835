import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type AuthService,
  Role as ProtoRole,
  type TokenPair as ProtoTokenPair,
  TokenPairSchema,
  type User as ProtoUser,
  UserSchema,
} from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { DomainError, notFound, requestInfo, requireIdentity, requireRole, type Logger } from "@triphub/platform";
import type { Accounts, TokenPair } from "./accounts.js";
import { applyProfilePatch, type Role, type User } from "./domain/user.js";
import type { KeyRing } from "./key-ring.js";
import type { UserStore } from "./store/user-store.js";

const toProtoRole: Record<Role, ProtoRole> = { GUEST: ProtoRole.GUEST, HOST: ProtoRole.HOST, ADMIN: ProtoRole.ADMIN };

function fromProtoRole(r: ProtoRole): Role {
  switch (r) {
    case ProtoRole.GUEST:
      return "GUEST";
    case ProtoRole.HOST:
      return "HOST";
    case ProtoRole.ADMIN:
      return "ADMIN";
    case ProtoRole.UNSPECIFIED:
      throw new DomainError("invalid", "roles: ROLE_UNSPECIFIED is not a role");
    default: {
      const unknown: never = r;
      throw new DomainError("invalid", `roles: unknown role ${String(unknown)}`);
    }
  }
}

/** The proto form of an account. */
export function toProtoUser(u: User): ProtoUser {
  return create(UserSchema, {
    userId: u.id,
    email: u.email,
    displayName: u.displayName,
    phone: u.phone,
    locale: u.locale,
    roles: u.roles.map((r) => toProtoRole[r]),
    createTime: timestampFromDate(u.createdAt),
    updateTime: timestampFromDate(u.updatedAt),
  });
}

function toProtoTokens(t: TokenPair): ProtoTokenPair {
  return create(TokenPairSchema, {
    accessToken: t.accessToken,
    accessTokenExpireTime: timestampFromDate(t.accessTokenExpiresAt),
    refreshToken: t.refreshToken,
    refreshTokenExpireTime: timestampFromDate(t.refreshTokenExpiresAt),
    tokenType: "Bearer",
  });
}

/** What the auth RPCs need. */
export interface AuthServiceDeps {
  accounts: Accounts;
  users: UserStore;
  keys: KeyRing;
  log: Logger;
  now: () => Date;
}

/**
 * The AuthService RPCs: protos in, account flows, protos out. API keys and social login are in
 * the contract but not built yet; Connect answers UNIMPLEMENTED for them.
 */
export function createAuthService(d: AuthServiceDeps): Partial<ServiceImpl<typeof AuthService>> {
  const existing = async (userId: string) => {
    const user = await d.users.findById(userId);
    if (!user) throw notFound("user", userId);
    return user;
  };

  return {
    async signUp(req) {
      const { user, tokens } = await d.accounts.signUp(req);
      return { user: toProtoUser(user), tokens: toProtoTokens(tokens) };
    },
    async login(req, ctx) {
      const { clientIp } = requestInfo(ctx, d.log);
      const { user, tokens } = await d.accounts.login({ email: req.email, password: req.password, clientIp });
      return { user: toProtoUser(user), tokens: toProtoTokens(tokens) };
    },
    async refreshToken(req) {
      return { tokens: toProtoTokens(await d.accounts.refresh(req.refreshToken)) };
    },
    async logout(req) {
      await d.accounts.logout(req.refreshToken);
      return {};
    },
    async getMe(_req, ctx) {
      return { user: toProtoUser(await existing(requireIdentity(ctx).userId)) };
    },
    async updateMe(req, ctx) {
      const { userId } = requireIdentity(ctx);
      const patch = { displayName: req.user?.displayName, phone: req.user?.phone, locale: req.user?.locale };
      const user = await d.users.updateUser(userId, (u) => applyProfilePatch(u, patch, req.updateMask?.paths, d.now()));
      return { user: toProtoUser(user) };
    },
    async changePassword(req, ctx) {
      const { userId } = requireIdentity(ctx);
      return { tokens: toProtoTokens(await d.accounts.changePassword(userId, req.currentPassword, req.newPassword)) };
    },
    async getUser(req, ctx) {
      const caller = requireIdentity(ctx);
      if (caller.userId !== req.userId) requireRole(ctx, "ADMIN");
      return { user: toProtoUser(await existing(req.userId)) };
    },
    async listUsers(req, ctx) {
      requireRole(ctx, "ADMIN");
      const page = await d.users.list({
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        role: req.role === ProtoRole.UNSPECIFIED ? undefined : fromProtoRole(req.role),
        emailPrefix: req.emailPrefix || undefined,
      });
      return { users: page.users.map(toProtoUser), nextPageToken: page.nextPageToken };
    },
    async setUserRoles(req, ctx) {
      const admin = requireRole(ctx, "ADMIN");
      const roles = req.roles.map(fromProtoRole);
      // Keeps at least one admin able to undo mistakes: nobody demotes themself.
      if (admin.userId === req.userId && !roles.includes("ADMIN")) {
        throw new DomainError("precondition", "an admin cannot remove their own ADMIN role");
      }
      await existing(req.userId);
      const user = await d.users.setRoles(req.userId, roles, d.now());
      return { user: toProtoUser(user) };
    },
    async getJwks() {
      const { keys } = await d.keys.jwks();
      return {
        keys: keys.map((k) => ({ kty: k.kty, kid: k.kid, alg: k.alg, use: k.use, crv: k.crv, x: k.x, y: k.y })),
      };
    },
    async rotateSigningKey(_req, ctx) {
      requireRole(ctx, "ADMIN");
      return { kid: (await d.keys.rotate()).kid };
    },
  };
}
