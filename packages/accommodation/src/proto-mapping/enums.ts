import { HoldReleaseReason as ProtoReleaseReason, HoldStatus as ProtoHoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import {
  Amenity as ProtoAmenity,
  PropertyStatus as ProtoPropertyStatus,
  PropertyType as ProtoPropertyType,
} from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType as ProtoBedType } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { CancellationPolicy as ProtoPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { invalid } from "@triphub/platform";
import { CANCELLATION_POLICIES, type CancellationPolicy } from "@triphub/platform/stay-rules";
import type { HoldReleaseReason, HoldStatus } from "../domain/hold.js";
import type { PropertyStatus } from "../domain/property.js";
import { AMENITIES, type Amenity, BED_TYPES, type BedType, PROPERTY_TYPES, type PropertyType } from "../domain/vocabulary.js";

/** A domain vocabulary and its proto enum, both ways. */
export interface EnumMapping<D extends string, P extends number> {
  toProto(value: D): P;
  /**
   * The domain name of a proto value as a plain string: "" for UNSPECIFIED (an unset field),
   * `unknown(N)` for a number this build does not know. Domain validation turns both into
   * field violations, so an unknown value is INVALID_ARGUMENT, never a crash.
   */
  fromProto(value: P): string;
}

/**
 * The vocabularies (amenities, property and bed types, cancellation policies) map by name:
 * `AMENITY_FRONT_DESK_24H` is `Amenity.FRONT_DESK_24H` in TypeScript and "front_desk_24h" in
 * the domain (see vocabulary.ts). Built once at load, failing loudly if a domain value has no
 * proto counterpart, so a vocabulary that drifts from the contract cannot start.
 */
function byName<D extends string, P extends number>(what: string, values: readonly D[], protoEnum: Record<string, string | number>): EnumMapping<D, P> {
  const toProto = new Map<D, P>();
  const fromProto = new Map<number, D>();
  for (const v of values) {
    const n = protoEnum[v.toUpperCase()];
    if (typeof n !== "number") throw new Error(`${what} "${v}" has no value in the proto enum`);
    toProto.set(v, n as P);
    fromProto.set(n, v);
  }
  return {
    toProto: (v) => {
      const n = toProto.get(v);
      if (n === undefined) throw new Error(`${what} "${v}" has no value in the proto enum`);
      return n;
    },
    fromProto: (n) => fromProto.get(n) ?? (n === 0 ? "" : `unknown(${n})`),
  };
}

/** Amenities of properties and room types. */
export const amenities = byName<Amenity, ProtoAmenity>("amenity", AMENITIES, ProtoAmenity);
/** Kinds of property. */
export const propertyTypes = byName<PropertyType, ProtoPropertyType>("property type", PROPERTY_TYPES, ProtoPropertyType);
/** Kinds of bed. */
export const bedTypes = byName<BedType, ProtoBedType>("bed type", BED_TYPES, ProtoBedType);
/** Cancellation policies (triphub.common.v1). */
export const cancellationPolicies = byName<CancellationPolicy, ProtoPolicy>("cancellation policy", CANCELLATION_POLICIES, ProtoPolicy);

/** A property's status in the contract. */
export function propertyStatusToProto(s: PropertyStatus): ProtoPropertyStatus {
  switch (s) {
    case "draft":
      return ProtoPropertyStatus.DRAFT;
    case "listed":
      return ProtoPropertyStatus.LISTED;
    case "unlisted":
      return ProtoPropertyStatus.UNLISTED;
    default: {
      const _x: never = s;
      throw new Error(`unknown property status ${String(_x)}`);
    }
  }
}

/** A ListMyProperties status filter: undefined for UNSPECIFIED (all statuses). */
export function propertyStatusFromProto(s: ProtoPropertyStatus): PropertyStatus | undefined {
  switch (s) {
    case ProtoPropertyStatus.UNSPECIFIED:
      return undefined;
    case ProtoPropertyStatus.DRAFT:
      return "draft";
    case ProtoPropertyStatus.LISTED:
      return "listed";
    case ProtoPropertyStatus.UNLISTED:
      return "unlisted";
    default: {
      const _x: never = s;
      throw invalid("status", `unknown property status ${String(_x)}`);
    }
  }
}

/** A hold's status in the contract. */
export function holdStatusToProto(s: HoldStatus): ProtoHoldStatus {
  switch (s) {
    case "held":
      return ProtoHoldStatus.HELD;
    case "confirmed":
      return ProtoHoldStatus.CONFIRMED;
    case "released":
      return ProtoHoldStatus.RELEASED;
    case "expired":
      return ProtoHoldStatus.EXPIRED;
    default: {
      const _x: never = s;
      throw new Error(`unknown hold status ${String(_x)}`);
    }
  }
}

/** Why a hold was released, in the contract; UNSPECIFIED when it was not. */
export function releaseReasonToProto(r: HoldReleaseReason | undefined): ProtoReleaseReason {
  switch (r) {
    case undefined:
      return ProtoReleaseReason.UNSPECIFIED;
    case "reservation_failed":
      return ProtoReleaseReason.RESERVATION_FAILED;
    case "reservation_cancelled":
      return ProtoReleaseReason.RESERVATION_CANCELLED;
    case "admin":
      return ProtoReleaseReason.ADMIN;
    default: {
      const _x: never = r;
      throw new Error(`unknown release reason ${String(_x)}`);
    }
  }
}

/** A ReleaseHold reason; UNSPECIFIED is refused (the request validation refuses it first). */
export function releaseReasonFromProto(r: ProtoReleaseReason): HoldReleaseReason {
  switch (r) {
    case ProtoReleaseReason.RESERVATION_FAILED:
      return "reservation_failed";
    case ProtoReleaseReason.RESERVATION_CANCELLED:
      return "reservation_cancelled";
    case ProtoReleaseReason.ADMIN:
      return "admin";
    case ProtoReleaseReason.UNSPECIFIED:
      throw invalid("reason", "is required");
    default: {
      const _x: never = r;
      throw invalid("reason", `unknown release reason ${String(_x)}`);
    }
  }
}
