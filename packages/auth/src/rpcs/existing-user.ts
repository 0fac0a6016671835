import { notFound } from "@triphub/platform";
import type { User } from "../domain/user.js";
import type { UserStore } from "../store/user-store.js";

/** The account with this id, or a "not found" error naming it. */
export async function existingUser(users: UserStore, userId: string): Promise<User> {
  const user = await users.findById(userId);
  if (!user) throw notFound("user", userId);
  return user;
}
