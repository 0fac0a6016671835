/**
 * Who may see and change a property. `Actor` has the shape of the chassis' `Identity`, so the
 * service passes the caller straight in; the domain does not import the chassis.
 */
export interface Actor {
  userId: string;
  /** Role names as in the access token: "GUEST", "HOST", "ADMIN". */
  roles: readonly string[];
}

/** What the access rules need to know about a property. */
export interface OwnedResource {
  ownerId: string;
  status: "draft" | "listed" | "unlisted";
}

/** True for an administrator, who may act on any property. */
export function isAdmin(actor: Actor | undefined): boolean {
  return actor?.roles.includes("ADMIN") ?? false;
}

/** Only the owning HOST or an ADMIN may change a property, its room types and calendars. */
export function canEdit(actor: Actor | undefined, property: OwnedResource): boolean {
  if (actor === undefined) return false;
  if (isAdmin(actor)) return true;
  return actor.roles.includes("HOST") && actor.userId === property.ownerId;
}

/**
 * Everyone (anonymous callers too) may see a LISTED property; a DRAFT or UNLISTED one only
 * its owner and admins. Callers that may not see a property get NOT_FOUND, not a hint.
 */
export function canView(actor: Actor | undefined, property: OwnedResource): boolean {
  if (property.status === "listed") return true;
  if (actor === undefined) return false;
  return isAdmin(actor) || actor.userId === property.ownerId;
}
