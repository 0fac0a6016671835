import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Role as ProtoRole, type User as ProtoUser, UserSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { DomainError } from "@triphub/platform/domain-error";
import type { Role, User } from "../domain/user.js";

const toProtoRole: Record<Role, ProtoRole> = { GUEST: ProtoRole.GUEST, HOST: ProtoRole.HOST, ADMIN: ProtoRole.ADMIN };

/** The domain role of a proto role; ROLE_UNSPECIFIED is an "invalid" error. */
export function fromProtoRole(r: ProtoRole): Role {
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

/** The proto form of a list of roles. */
export const toProtoRoles = (roles: readonly Role[]): ProtoRole[] => roles.map((r) => toProtoRole[r]);

/** The proto form of an account. */
export function toProtoUser(u: User): ProtoUser {
  return create(UserSchema, {
    userId: u.id,
    email: u.email,
    displayName: u.displayName,
    phone: u.phone,
    locale: u.locale,
    roles: toProtoRoles(u.roles),
    createTime: timestampFromDate(u.createdAt),
    updateTime: timestampFromDate(u.updatedAt),
  });
}
