import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { countryOfLocale } from "@triphub/platform";
import type { UserStore } from "../store/user-store.js";
import { existingUser } from "./existing-user.js";

type ProfileRpcs = Pick<ServiceImpl<typeof AuthService>, "getPublicProfile">;

/**
 * What other users may see of an account. Internal (the contract names its callers), so the
 * caller policy has already refused users and unlisted services.
 */
export function profileRpcs(d: { users: UserStore }): ProfileRpcs {
  return {
    async getPublicProfile(req) {
      const user = await existingUser(d.users, req.userId);
      return { profile: { userId: user.id, displayName: user.displayName, country: countryOfLocale(user.locale) } };
    },
  };
}
