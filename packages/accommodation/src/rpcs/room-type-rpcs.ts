import type { ServiceImpl } from "@connectrpc/connect";
import { type AccommodationService, CreateRoomTypeRequestSchema } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { invalid } from "@triphub/platform";
import { newRoomType } from "../domain/room-type.js";
import { applyRoomTypePatch } from "../domain/room-type-patch.js";
import { calendarUpdateFromProto, toProtoCalendarDay } from "../proto-mapping/calendar.js";
import { roomTypeInputFromProto, roomTypePatchFromProto, toProtoRoomType } from "../proto-mapping/room-type.js";
import type { CalendarStore } from "../store/calendar-store.js";
import type { Access, HostDeps } from "./access.js";
import { requestKeyOf } from "./request-key.js";

type RoomTypeRpcs = Pick<
  ServiceImpl<typeof AccommodationService>,
  "createRoomType" | "getRoomType" | "listRoomTypes" | "updateRoomType" | "deleteRoomType" | "getCalendar" | "updateCalendar"
>;

/** The host's room-type and calendar RPCs; every one acts on a property the caller owns (or any, for ADMIN). */
export function roomTypeRpcs(d: HostDeps & { calendars: CalendarStore }, access: Access): RoomTypeRpcs {
  return {
    async createRoomType(req, ctx) {
      if (!req.roomType) throw invalid("room_type", "is required");
      const { actor, property } = await access.property(ctx, req.propertyId, "edit");
      const request = requestKeyOf(CreateRoomTypeRequestSchema, req, actor.userId, "CreateRoomType");
      const created = await d.roomTypes.create(newRoomType(roomTypeInputFromProto(req.roomType), property, d.now()), request);
      return { roomType: toProtoRoomType(created) };
    },
    async getRoomType(req, ctx) {
      const { roomType } = await access.roomType(ctx, req.propertyId, req.roomTypeId, "read");
      return { roomType: toProtoRoomType(roomType) };
    },
    async listRoomTypes(req, ctx) {
      await access.property(ctx, req.propertyId, "read");
      const page = await d.roomTypes.listByProperty(req.propertyId, { pageSize: req.pageSize, pageToken: req.pageToken || undefined });
      return { roomTypes: page.roomTypes.map(toProtoRoomType), nextPageToken: page.nextPageToken };
    },
    async updateRoomType(req, ctx) {
      if (!req.roomType) throw invalid("room_type", "is required");
      const { propertyId, roomTypeId, etag } = req.roomType;
      const { property } = await access.roomType(ctx, propertyId, roomTypeId, "edit");
      const patch = roomTypePatchFromProto(req.roomType);
      const mask = req.updateMask?.paths;
      const saved = await d.roomTypes.updateRoomType(
        roomTypeId,
        etag,
        (r) => applyRoomTypePatch(r, patch, mask, property.currency, d.now()),
        access.today(property),
      );
      return { roomType: toProtoRoomType(saved) };
    },
    async deleteRoomType(req, ctx) {
      const { property } = await access.roomType(ctx, req.propertyId, req.roomTypeId, "edit");
      await d.roomTypes.delete(req.roomTypeId, req.etag || undefined, access.today(property));
      return {};
    },
    async getCalendar(req, ctx) {
      await access.roomType(ctx, req.propertyId, req.roomTypeId, "read");
      const days = await d.calendars.read(req.roomTypeId, req.startDate, req.endDate);
      return { days: days.map(toProtoCalendarDay) };
    },
    async updateCalendar(req, ctx) {
      const { property } = await access.roomType(ctx, req.propertyId, req.roomTypeId, "edit");
      const days = await d.calendars.update(req.roomTypeId, calendarUpdateFromProto(req), access.today(property));
      return { days: days.map(toProtoCalendarDay) };
    },
  };
}
