import type { ServiceImpl } from "@connectrpc/connect";
import { type AccommodationService, CreatePropertyRequestSchema } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { invalid, requireRole } from "@triphub/platform";
import { newProperty } from "../domain/property.js";
import { applyPropertyPatch } from "../domain/property-patch.js";
import { publishProperty, unpublishProperty } from "../domain/property-status.js";
import { propertyStatusFromProto } from "../proto-mapping/enums.js";
import { propertyInputFromProto, propertyPatchFromProto, toProtoProperty } from "../proto-mapping/property.js";
import type { Access, HostDeps } from "./access.js";
import { requestKeyOf } from "./request-key.js";

type PropertyRpcs = Pick<
  ServiceImpl<typeof AccommodationService>,
  "createProperty" | "getProperty" | "updateProperty" | "deleteProperty" | "listMyProperties" | "publishProperty" | "unpublishProperty"
>;

/** The host's property RPCs: create, read, edit, delete, list, publish and unpublish. */
export function propertyRpcs(d: HostDeps, access: Access): PropertyRpcs {
  return {
    async createProperty(req, ctx) {
      const host = requireRole(ctx, "HOST", "ADMIN");
      if (!req.property) throw invalid("property", "is required");
      const draft = newProperty(propertyInputFromProto(req.property), host.userId, d.now());
      const request = requestKeyOf(CreatePropertyRequestSchema, req, host.userId, "CreateProperty");
      return { property: toProtoProperty(await d.properties.create(draft, request)) };
    },
    async getProperty(req, ctx) {
      const { property } = await access.property(ctx, req.propertyId, "read");
      return { property: toProtoProperty(property) };
    },
    async updateProperty(req, ctx) {
      if (!req.property) throw invalid("property", "is required");
      const { propertyId, etag } = req.property;
      await access.property(ctx, propertyId, "edit");
      const patch = propertyPatchFromProto(req.property);
      const saved = await d.properties.updateProperty(propertyId, etag, (p) => applyPropertyPatch(p, patch, req.updateMask?.paths, d.now()));
      return { property: toProtoProperty(saved) };
    },
    async deleteProperty(req, ctx) {
      await access.property(ctx, req.propertyId, "edit");
      await d.properties.delete(req.propertyId, req.etag || undefined, d.now());
      return {};
    },
    async listMyProperties(req, ctx) {
      const host = requireRole(ctx, "HOST", "ADMIN");
      const page = await d.properties.listByOwner(host.userId, {
        pageSize: req.pageSize,
        pageToken: req.pageToken || undefined,
        status: propertyStatusFromProto(req.status),
      });
      return { properties: page.properties.map(toProtoProperty), nextPageToken: page.nextPageToken };
    },
    async publishProperty(req, ctx) {
      await access.property(ctx, req.propertyId, "edit");
      const rooms = await d.roomTypes.readiness(req.propertyId);
      const saved = await d.properties.updateProperty(req.propertyId, undefined, (p) => publishProperty(p, rooms, d.now()));
      return { property: toProtoProperty(saved) };
    },
    async unpublishProperty(req, ctx) {
      await access.property(ctx, req.propertyId, "edit");
      const saved = await d.properties.updateProperty(req.propertyId, undefined, (p) => unpublishProperty(p, d.now()));
      return { property: toProtoProperty(saved) };
    },
  };
}
