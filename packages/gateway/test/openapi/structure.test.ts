import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../src/openapi/index.js";
import type { RouteInfo } from "../../src/transcoder/route-info.js";
import { KitchenService } from "./kitchen.js";
import { isPublicRoute, routesOf } from "./routes.js";
import { structuralProblems } from "./structure.js";

const build = (routes: RouteInfo[]) =>
  buildOpenApi({ routes, title: "TripHub API", version: "v1", servers: [{ url: "http://127.0.0.1:8080" }], isPublic: isPublicRoute });

const kitchen = (name: string, httpMethod: string, template: string, extra: Partial<RouteInfo> = {}): RouteInfo => ({
  service: KitchenService,
  method: KitchenService.methods.find((m) => m.name === name)!,
  httpMethod,
  template,
  pathFields: [...template.matchAll(/\{([^}=]+)/g)].map((m) => m[1]),
  bindingIndex: 0,
  ...extra,
});

describe("the OpenAPI document", () => {
  it("is structurally valid OpenAPI 3.1 for every REST rule in the TripHub contracts", () => {
    const doc = build(routesOf(AuthService, AccommodationService, ReservationService, PaymentService, ReviewService));
    expect(Object.keys(doc.paths).length).toBeGreaterThan(30);
    expect(structuralProblems(JSON.parse(JSON.stringify(doc)))).toEqual([]);
  });

  it("is structurally valid for wildcards, recursive messages and streams", () => {
    const doc = build([
      kitchen("GetKitchen", "GET", "/v1/{shelf_name=shelves/*}/kitchen"),
      kitchen("GetKitchen", "GET", "/v1/any/**", { bindingIndex: 1 }),
      kitchen("WatchKitchen", "GET", "/v1/kitchen:watch"),
    ]);
    expect(structuralProblems(doc)).toEqual([]);
    const get = doc.paths["/v1/{shelf_name}/kitchen"]?.get;
    expect(get?.parameters?.[0]).toMatchObject({ name: "shelf_name", schema: { pattern: "^shelves/[^/]+$" } });
    // Recursive and map fields have no query form; scalar-like well-known types do.
    const query = get?.parameters?.filter((p) => p.in === "query").map((p) => p.name) ?? [];
    expect(query).toEqual(expect.arrayContaining(["bigCount", "maybeCount", "timeout", "tags"]));
    expect(query.filter((n) => /^(parent|children|counts|extra|payload)\b/.test(n))).toEqual([]);
    const watch = doc.paths["/v1/kitchen:watch"]?.get?.responses["200"].content ?? {};
    expect(Object.keys(watch)).toEqual(["application/x-ndjson", "text/event-stream"]);
  });

  it("leaves out bindings whose custom verb OpenAPI cannot express", () => {
    const doc = build([kitchen("GetKitchen", "SEARCH", "/v1/kitchen")]);
    expect(doc.paths).toEqual({});
  });

  it("fails the structural check on a dangling reference or a missing path parameter", () => {
    const doc = build(routesOf(AuthService));
    const broken = JSON.parse(JSON.stringify(doc));
    delete broken.components.schemas["triphub.auth.v1.User"];
    broken.paths["/api/v1/users/{user_id}"].get.parameters = [];
    const problems = structuralProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("dangling $ref #/components/schemas/triphub.auth.v1.User"),
        expect.stringContaining("GET /api/v1/users/{user_id}: path parameters"),
      ]),
    );
  });
});
