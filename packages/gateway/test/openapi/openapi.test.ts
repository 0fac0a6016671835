import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { describe, expect, it } from "vitest";
import { buildOpenApi, type OperationObject, type ParameterObject, type SchemaObject } from "../../src/openapi/index.js";
import type { RouteInfo } from "../../src/transcoder/route-info.js";
import { isPublicRoute, routesOf } from "./routes.js";

const routes = routesOf(AuthService, ReservationService, AccommodationService);
const build = (rs: readonly RouteInfo[] = routes) => buildOpenApi({ routes: rs, title: "TripHub API", version: "v1", isPublic: isPublicRoute });
const doc = build();

function op(verb: "get" | "post" | "patch" | "delete", path: string): OperationObject {
  const o = doc.paths[path]?.[verb];
  if (!o) throw new Error(`no ${verb} ${path}`);
  return o;
}
const schema = (name: string): SchemaObject => doc.components.schemas[name];
const prop = (message: string, field: string): SchemaObject => schema(message).properties![field];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (o: OperationObject, name: string): ParameterObject => o.parameters!.find((p) => p.name === name)!;
const bodySchema = (o: OperationObject): SchemaObject => o.requestBody!.content["application/json"].schema;
const okSchema = (o: OperationObject): SchemaObject => o.responses["200"].content!["application/json"].schema;

describe("buildOpenApi", () => {
  it("documents each binding under its path and method, with operationIds by service and method", () => {
    expect(op("post", "/api/v1/users").operationId).toBe("AuthService_SignUp");
    expect(op("get", "/api/v1/users").operationId).toBe("AuthService_ListUsers");
    expect(op("get", "/api/v1/users/me").operationId).toBe("AuthService_GetMe");
    expect(op("patch", "/api/v1/users/me").operationId).toBe("AuthService_UpdateMe");
    expect(op("post", "/api/v1/users/{user_id}:setRoles").operationId).toBe("AuthService_SetUserRoles");
    expect(op("post", "/api/v1/auth:login").tags).toEqual(["AuthService"]);
    expect(doc.tags.map((t) => t.name)).toEqual(["AuthService", "ReservationService", "AccommodationService"]);
  });

  it("numbers additional bindings in the operationId", () => {
    const getUser = routes.find((r) => r.method.name === "GetUser")!;
    const extra = { ...getUser, template: "/api/v1/people/{user_id}", bindingIndex: 1 };
    expect(build([getUser, extra]).paths["/api/v1/people/{user_id}"]?.get?.operationId).toBe("AuthService_GetUser_1");
  });

  it("declares path parameters as required and typed from the bound field", () => {
    expect(op("get", "/api/v1/users/{user_id}").parameters).toEqual([
      { name: "user_id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    ]);
    const nested = param(op("patch", "/api/v1/accommodations/{property.property_id}"), "property.property_id");
    expect(nested).toMatchObject({ in: "path", required: true, schema: { type: "string" } });
  });

  it("turns every field of a List request into a query parameter, with its limits", () => {
    const list = op("get", "/api/v1/users");
    expect(list.parameters!.map((p) => [p.name, p.in])).toEqual([
      ["pageSize", "query"],
      ["pageToken", "query"],
      ["role", "query"],
      ["emailPrefix", "query"],
    ]);
    expect(param(list, "pageSize").schema).toEqual({ type: "integer", format: "int32", minimum: 0, maximum: 200 });
    expect(param(list, "pageToken").schema).toEqual({ type: "string", maxLength: 512 });
    expect(param(list, "role").schema).toEqual(ref("triphub.auth.v1.Role"));
  });

  it("flattens nested fields to dotted names and repeats repeated ones", () => {
    const search = op("get", "/api/v1/accommodations:search");
    const names = search.parameters!.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["destination", "near.center.latitude", "near.radiusKm", "minNightlyPrice.amountMinor"]));
    expect(param(search, "near.radiusKm").schema).toMatchObject({ type: "number", exclusiveMinimum: 0, maximum: 200 });
    expect(param(search, "propertyTypes")).toMatchObject({ style: "form", explode: true, schema: { type: "array", maxItems: 20, uniqueItems: true } });
    const statuses = param(op("get", "/api/v1/reservations"), "statuses");
    expect(statuses).toMatchObject({ explode: true, schema: { type: "array", items: ref("triphub.reservation.v1.ReservationStatus") } });
  });

  it("documents SignUp's `*` body as the request message with its buf.validate limits", () => {
    const signUp = op("post", "/api/v1/users");
    expect(signUp.parameters).toBeUndefined();
    expect(signUp.requestBody?.required).toBe(true);
    expect(bodySchema(signUp)).toEqual(ref("triphub.auth.v1.SignUpRequest"));
    expect(schema("triphub.auth.v1.SignUpRequest").properties).toEqual({
      email: { type: "string", format: "email", maxLength: 254 },
      password: { type: "string", minLength: 10, maxLength: 128 },
      displayName: { type: "string", minLength: 1, maxLength: 80 },
    });
  });

  it("leaves path-bound fields out of a `*` body", () => {
    const setRoles = op("post", "/api/v1/users/{user_id}:setRoles");
    const body = bodySchema(setRoles);
    expect(Object.keys(body.properties!)).toEqual(["roles"]);
    expect(body.properties!.roles).toMatchObject({ type: "array", minItems: 1, maxItems: 3, uniqueItems: true });
    expect(setRoles.parameters!.map((p) => p.name)).toEqual(["user_id"]);
  });

  it("uses the named field as the body and the rest as query parameters", () => {
    const updateMe = op("patch", "/api/v1/users/me");
    expect(bodySchema(updateMe)).toEqual(ref("triphub.auth.v1.User"));
    expect(updateMe.parameters).toEqual([{ name: "updateMask", in: "query", schema: expect.objectContaining({ type: "string" }) }]);
  });

  it("documents the Idempotency-Key header on a route whose request field it fills", () => {
    const create = routes.find((r) => r.method.name === "CreateReservation")!;
    const withKey = build([{ ...create, idempotencyKeyField: "request_id" }]).paths["/api/v1/reservations"]?.post;
    expect(withKey?.parameters).toEqual([
      {
        name: "Idempotency-Key",
        in: "header",
        description: expect.stringMatching(/fills `requestId` when the request leaves it empty.*different value is refused \(400, INVALID_ARGUMENT\).*over 255 characters/),
        schema: { type: "string", format: "uuid", maxLength: 255 },
      },
    ]);
    // Only where the transcoder was told of a field.
    expect(build([create]).paths["/api/v1/reservations"]?.post?.parameters).toBeUndefined();
  });

  it("answers with the response_body field instead of the whole response", () => {
    const getMe = op("get", "/api/v1/users/me");
    expect(getMe.parameters).toBeUndefined();
    expect(getMe.requestBody).toBeUndefined();
    expect(okSchema(getMe)).toEqual(ref("triphub.auth.v1.User"));
    expect(okSchema(op("get", "/api/v1/users"))).toEqual(ref("triphub.auth.v1.ListUsersResponse"));
  });

  it("follows the proto3 JSON mapping: camelCase, 64-bit integers as strings, enums by name, Timestamps as date-time", () => {
    expect(Object.keys(schema("triphub.auth.v1.User").properties!)).toContain("displayName");
    expect(prop("triphub.common.v1.Money", "amountMinor")).toMatchObject({ type: "string", format: "int64" });
    expect(prop("triphub.reservation.v1.Reservation", "version")).toMatchObject({ type: "string", format: "uint64" });
    expect(schema("triphub.auth.v1.Role")).toMatchObject({ type: "string", enum: ["ROLE_UNSPECIFIED", "ROLE_GUEST", "ROLE_HOST", "ROLE_ADMIN"] });
    expect(prop("triphub.auth.v1.User", "roles")).toEqual({ type: "array", items: ref("triphub.auth.v1.Role") });
    expect(prop("triphub.auth.v1.User", "createTime")).toMatchObject({ type: "string", format: "date-time" });
  });

  it("says nothing about limits a field's `ignore` rule lets the zero value skip", () => {
    expect(prop("triphub.auth.v1.User", "displayName")).toEqual({ type: "string" });
    expect(prop("triphub.auth.v1.User", "locale")).toEqual({ type: "string", maxLength: 35 });
  });

  it("marks buf.validate `required` fields as required", () => {
    expect(bodySchema(op("post", "/api/v1/reservations"))).toEqual(ref("triphub.reservation.v1.CreateReservationRequest"));
    expect(schema("triphub.reservation.v1.CreateReservationRequest").required).toEqual(["guests", "contact"]);
  });

  it("requires a bearer JWT or an API key except on public routes, which have empty security", () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-Api-Key" });
    expect(doc.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
    expect(op("post", "/api/v1/users").security).toEqual([]);
    expect(op("get", "/api/v1/accommodations:search").security).toEqual([]);
    expect(op("get", "/api/v1/users/me").security).toBeUndefined();
    expect(op("get", "/api/v1/reservations").security).toBeUndefined();
  });

  it("documents the rate-limit headers on answers and Retry-After on 429", () => {
    for (const item of Object.values(doc.paths)) {
      for (const o of Object.values(item)) {
        expect(Object.keys(o.responses["429"].headers ?? {})).toEqual(["Retry-After", "RateLimit", "RateLimit-Policy"]);
        const ok = o.responses["200"];
        if (ok.content?.["application/json"]) expect(Object.keys(ok.headers ?? {})).toEqual(["RateLimit", "RateLimit-Policy"]);
      }
    }
  });

  it("documents every error status with the shared google.rpc.Status schema", () => {
    const statusRef = ref("google.rpc.Status");
    for (const item of Object.values(doc.paths)) {
      for (const o of Object.values(item)) {
        for (const code of ["400", "401", "403", "404", "409", "429", "500", "503", "504"]) {
          expect(o.responses[code].content!["application/json"].schema).toEqual(statusRef);
        }
      }
    }
    const status = schema("google.rpc.Status");
    expect(Object.keys(status.properties!)).toEqual(["code", "message", "details"]);
    expect(status.properties!.details.items).toMatchObject({ required: ["@type"] });
  });
});
