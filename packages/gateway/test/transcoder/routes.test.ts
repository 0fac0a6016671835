import { create, createFileRegistry, type DescService, type MessageInitShape, setExtension } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema, MethodOptionsSchema } from "@bufbuild/protobuf/wkt";
import { http } from "@triphub/contracts/google/api/annotations_pb";
import { HttpRuleSchema } from "@triphub/contracts/google/api/http_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { describe, expect, it } from "vitest";
import { createRouter } from "../../src/transcoder/router.js";
import { compileRoutes } from "../../src/transcoder/routes.js";

// Rules are read once, at start; a rule that cannot work fails there, not per request.

type RuleInit = MessageInitShape<typeof HttpRuleSchema>;

/** A method of {@link serviceOf}: its rule, and whether its request or response is a stream. */
interface MethodInit {
  rule: RuleInit;
  clientStreaming?: boolean;
  serverStreaming?: boolean;
}

/** A service built at run time from a descriptor, one unary method per rule, over one request type. */
const serviceWith = (...rules: RuleInit[]): DescService => serviceOf(rules.map((rule) => ({ rule })));

function serviceOf(methods: MethodInit[]): DescService {
  const str = (name: string, number: number, label = FieldDescriptorProto_Label.OPTIONAL) => ({
    name,
    number,
    label,
    type: FieldDescriptorProto_Type.STRING,
    jsonName: name,
  });
  const file = create(FileDescriptorProtoSchema, {
    name: "dyn/v1/dyn.proto",
    package: "dyn.v1",
    syntax: "proto3",
    messageType: [
      {
        name: "Req",
        field: [
          str("id", 1),
          str("tags", 2, FieldDescriptorProto_Label.REPEATED),
          { name: "sub", number: 3, label: FieldDescriptorProto_Label.OPTIONAL, type: FieldDescriptorProto_Type.MESSAGE, typeName: ".dyn.v1.Req", jsonName: "sub" },
        ],
      },
    ],
    service: [
      {
        name: "Dyn",
        method: methods.map(({ rule, clientStreaming, serverStreaming }, i) => {
          const options = create(MethodOptionsSchema);
          setExtension(options, http, create(HttpRuleSchema, rule));
          return { name: `M${i}`, inputType: ".dyn.v1.Req", outputType: ".dyn.v1.Req", options, clientStreaming, serverStreaming };
        }),
      },
    ],
  });
  const service = createFileRegistry(file, () => undefined).getService("dyn.v1.Dyn");
  if (!service) throw new Error("no service");
  return service;
}

describe("compileRoutes", () => {
  it("reads rules from a descriptor built at run time (any annotated proto)", () => {
    const routes = compileRoutes([serviceWith({ pattern: { case: "get", value: "/v1/{sub.sub.id}/x" } })]);
    expect(routes.map((r) => [r.info.httpMethod, r.info.template, r.info.pathFields])).toEqual([["GET", "/v1/{sub.sub.id}/x", ["sub.sub.id"]]]);
  });

  it.each([
    { why: "a template without a leading slash", rule: { pattern: { case: "get", value: "v1/x" } }, error: /invalid path template/ },
    { why: "a path variable naming no field", rule: { pattern: { case: "get", value: "/v1/{nope}" } }, error: /no field "nope"/ },
    { why: "a path variable on a repeated field", rule: { pattern: { case: "get", value: "/v1/{tags}" } }, error: /singular scalar/ },
    { why: "a path variable on a message", rule: { pattern: { case: "get", value: "/v1/{sub}" } }, error: /singular scalar/ },
    { why: "a body field that does not exist", rule: { pattern: { case: "post", value: "/v1/x" }, body: "nope" }, error: /body field nope/ },
    { why: "a response_body field that does not exist", rule: { pattern: { case: "get", value: "/v1/x" }, responseBody: "nope" }, error: /response_body field nope/ },
    { why: "a custom pattern without a kind", rule: { pattern: { case: "custom", value: { kind: "", path: "/v1/x" } } }, error: /without a pattern/ },
  ] as { why: string; rule: RuleInit; error: RegExp }[])("refuses $why", (c) => {
    expect(() => compileRoutes([serviceWith(c.rule)])).toThrow(c.error);
  });

  it.each([
    { why: "a client stream on GET", method: { rule: { pattern: { case: "get", value: "/v1/x" } }, clientStreaming: true } },
    { why: "a client stream without a body", method: { rule: { pattern: { case: "post", value: "/v1/x" } }, clientStreaming: true } },
    { why: "a bidi stream on GET, even with a body", method: { rule: { pattern: { case: "get", value: "/v1/x" }, body: "*" }, clientStreaming: true, serverStreaming: true } },
    { why: "a client stream on a custom HEAD", method: { rule: { pattern: { case: "custom", value: { kind: "HEAD", path: "/v1/x" } }, body: "*" }, clientStreaming: true } },
  ] as { why: string; method: MethodInit }[])("refuses $why: its messages come from the body", (c) => {
    expect(() => compileRoutes([serviceOf([c.method])])).toThrow(/needs a rule with a body, on a method other than GET/);
  });

  it.each([
    { client: false, server: false, kind: "unary" },
    { client: false, server: true, kind: "server-streaming" },
    { client: true, server: false, kind: "client-streaming" },
    { client: true, server: true, kind: "bidi-streaming" },
  ])("compiles a $kind method with a body rule", (c) => {
    const rule: RuleInit = { pattern: { case: "post", value: "/v1/x" }, body: "*" };
    const [route] = compileRoutes([serviceOf([{ rule, clientStreaming: c.client, serverStreaming: c.server }])]);
    expect(route.kind).toBe(c.kind);
  });

  it("refuses two methods on the same route", () => {
    const rule: RuleInit = { pattern: { case: "get", value: "/v1/{id}" } };
    const other: RuleInit = { pattern: { case: "get", value: "/v1/{sub.id}" } };
    expect(() => compileRoutes([serviceWith(rule, other)])).toThrow(/already bound by dyn.v1.Dyn.M0/);
  });
});

describe("the TripHub contracts", () => {
  const services = [AuthService, AccommodationService, ConfigService, PaymentService, RegistryService, ReservationService, ReviewService];

  it("compile into routes without conflicts", () => {
    const routes = compileRoutes(services);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.every((r) => r.info.template.startsWith("/api/v1/"))).toBe(true);
  });

  it.each([
    { method: "GET", path: "/api/v1/users/me", rpc: "GetMe" },
    { method: "GET", path: "/api/v1/users/u1", rpc: "GetUser" },
    { method: "POST", path: "/api/v1/auth:login", rpc: "Login" },
    { method: "POST", path: "/api/v1/users/u1:setRoles", rpc: "SetUserRoles" },
    { method: "GET", path: "/api/v1/accommodations:search", rpc: "SearchAccommodations" },
    { method: "GET", path: "/api/v1/accommodations/p1", rpc: "GetAccommodation" },
    { method: "GET", path: "/api/v1/accommodations/p1:manage", rpc: "GetProperty" },
  ])("route $method $path to $rpc", (c) => {
    const m = createRouter(compileRoutes(services)).match(c.method, c.path);
    expect(m.kind === "found" ? m.route.info.method.name : m.kind).toBe(c.rpc);
  });
});
