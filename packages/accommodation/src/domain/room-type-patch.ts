import { DomainError, invalid } from "@triphub/platform/domain-error";
import { validateRoomTypeDetails } from "./room-type.js";
import type { RoomType, RoomTypeDetails, RoomTypeInput } from "./room-type.js";
import { touch } from "./version.js";

/** New values for UpdateRoomType; the update mask decides which apply. */
export type RoomTypePatch = Partial<RoomTypeInput>;

/** Update-mask paths (proto field names) `applyRoomTypePatch` accepts. */
export const ROOM_TYPE_PATHS = [
  "name", "description", "max_adults", "max_children", "beds", "size_square_meters", "amenities",
  "unit_count", "base_nightly_price", "photos", "weekend_nightly_price",
] as const;
/** One path from {@link ROOM_TYPE_PATHS}. */
export type RoomTypePath = (typeof ROOM_TYPE_PATHS)[number];

const NOT_CLEARABLE: readonly RoomTypePath[] = ["name", "max_adults", "base_nightly_price"];

// For each path: the patch's value (undefined when the caller did not populate it), the empty
// value a mask clears it to, and where it lives in the input.
type Field = { get: (p: RoomTypePatch) => unknown; empty: unknown; key: keyof RoomTypeInput };
const FIELDS: Record<RoomTypePath, Field> = {
  name: { get: (p) => p.name || undefined, empty: "", key: "name" },
  description: { get: (p) => p.description || undefined, empty: "", key: "description" },
  max_adults: { get: (p) => p.maxAdults || undefined, empty: 0, key: "maxAdults" },
  max_children: { get: (p) => p.maxChildren || undefined, empty: 0, key: "maxChildren" },
  beds: { get: (p) => (p.beds?.length ? p.beds : undefined), empty: [], key: "beds" },
  size_square_meters: { get: (p) => p.sizeSqm || undefined, empty: 0, key: "sizeSqm" },
  amenities: { get: (p) => (p.amenities?.length ? p.amenities : undefined), empty: [], key: "amenities" },
  unit_count: { get: (p) => p.unitCount || undefined, empty: 0, key: "unitCount" },
  base_nightly_price: { get: (p) => p.basePrice, empty: undefined, key: "basePrice" },
  photos: { get: (p) => (p.photos?.length ? p.photos : undefined), empty: [], key: "photos" },
  weekend_nightly_price: { get: (p) => p.weekendPrice, empty: undefined, key: "weekendPrice" },
};

function isRoomTypePath(path: string): path is RoomTypePath {
  return (ROOM_TYPE_PATHS as readonly string[]).includes(path);
}

function pathsToApply(patch: RoomTypePatch, mask: readonly string[] | undefined): RoomTypePath[] {
  if (mask === undefined || mask.length === 0) return ROOM_TYPE_PATHS.filter((p) => FIELDS[p].get(patch) !== undefined);
  if (mask.includes("*")) return [...ROOM_TYPE_PATHS];
  const bad = mask.filter((p) => !isRoomTypePath(p));
  if (bad.length > 0) {
    const description = `only ${ROOM_TYPE_PATHS.join(", ")} may be updated`;
    throw new DomainError("invalid", `update_mask: ${bad.join(", ")} cannot be updated`, {
      violations: bad.map((p) => ({ field: `update_mask.paths[${mask.indexOf(p)}]`, description })),
    });
  }
  return ROOM_TYPE_PATHS.filter((p) => mask.includes(p));
}

function details(r: RoomType | RoomTypeDetails): RoomTypeDetails {
  return {
    name: r.name, description: r.description, maxAdults: r.maxAdults, maxChildren: r.maxChildren,
    beds: r.beds, sizeSqm: r.sizeSqm, amenities: r.amenities, unitCount: r.unitCount,
    basePrice: r.basePrice, weekendPrice: r.weekendPrice, photos: r.photos,
  };
}

/** Proto field names whose values differ between two versions of a room type. */
export function changedRoomTypeFields(before: RoomTypeDetails, after: RoomTypeDetails): RoomTypePath[] {
  const a: Record<string, unknown> = details(before);
  const b: Record<string, unknown> = details(after);
  return ROOM_TYPE_PATHS.filter((p) => JSON.stringify(a[FIELDS[p].key]) !== JSON.stringify(b[FIELDS[p].key]));
}

/**
 * Applies an UpdateRoomType (AIP-134, as `applyPropertyPatch`): masked fields are set (empty
 * clears), unmasked calls apply populated fields. Name, max adults and the base price cannot
 * be cleared; clearing the weekend price leaves every night at the base price. Prices must
 * stay in `currency`. Returns `roomType` itself when nothing changed. Lowering `unitCount`
 * below committed units is the store's check (`checkUnitCount`).
 */
export function applyRoomTypePatch(
  roomType: RoomType,
  patch: RoomTypePatch,
  mask: readonly string[] | undefined,
  currency: string,
  now: Date,
): RoomType {
  const input: Record<string, unknown> = { ...details(roomType) };
  for (const path of pathsToApply(patch, mask)) {
    const field = FIELDS[path];
    const value = field.get(patch);
    if (value === undefined && NOT_CLEARABLE.includes(path)) throw invalid(`room_type.${path}`, "cannot be cleared");
    input[field.key] = value ?? field.empty;
  }
  const next = validateRoomTypeDetails(input as unknown as RoomTypeInput, currency);
  if (changedRoomTypeFields(roomType, next).length === 0) return roomType;
  return touch({ ...roomType, ...next }, now);
}
