// The attack suite's authorization matrix: every RPC of every service, from the contracts, has
// a stated rule here (a new RPC without one fails the first test), the rule agrees with the
// contract's own options, and each is tried at the service's port (no gateway in between) as
// anonymous, a guest, a host and an admin, and every internal RPC as each service of the
// platform (with that service's own token from auth's client-credentials grant).
// Then every RPC that acts on one user's resource is tried by another user of the same role
// and by the owner (the last describe); each service's own tests go deeper into its rules.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type DescMethod, type DescService, fromJson, getOption, hasOption, type JsonObject, type JsonValue, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { callers, edge, http } from "@triphub/contracts";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { createServiceTokenSource, SERVICE_TOKEN_HEADER } from "@triphub/platform";
import { eventually } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANOK_PROPERTY } from "./fixtures/hanok-property.js";
import { type RunningDevstack, startDevstack } from "./running-devstack.js";

/** Who may call: anyone; any signed-in user; a HOST; an ADMIN; only the services (and user roles) named. */
type Rule = "public" | "user" | "host" | "admin" | { services: string[]; roles?: string[] };

const ID = "6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5";
const DATES = { checkIn: "2027-03-01", checkOut: "2027-03-03" };

const PROPERTY = { name: "Matrix Stay", ...HANOK_PROPERTY };
const ROOM_TYPE = { name: "Double", maxAdults: 2, beds: [{ type: "BED_TYPE_DOUBLE", count: 1 }], unitCount: 1, baseNightlyPrice: { amountMinor: "100000", currencyCode: "KRW" } };

/** Each RPC's rule and a request that passes validation (so the answer is about the caller). */
const MATRIX: Record<string, [Rule, JsonObject]> = {
  "triphub.auth.v1.AuthService.SignUp": ["public", { email: "m@example.com", password: "correct horse battery", displayName: "M" }],
  "triphub.auth.v1.AuthService.Login": ["public", { email: "m@example.com", password: "wrong password here" }],
  "triphub.auth.v1.AuthService.RefreshToken": ["public", { refreshToken: "x".repeat(43) }],
  "triphub.auth.v1.AuthService.Logout": ["public", { refreshToken: "x".repeat(43) }],
  "triphub.auth.v1.AuthService.GetMe": ["user", {}],
  "triphub.auth.v1.AuthService.UpdateMe": ["user", { user: { locale: "ko-KR" }, updateMask: "locale" }],
  "triphub.auth.v1.AuthService.ChangePassword": ["user", { currentPassword: "wrong password here", newPassword: "another long password" }],
  "triphub.auth.v1.AuthService.GetUser": ["admin", { userId: ID }],
  "triphub.auth.v1.AuthService.ListUsers": ["admin", {}],
  "triphub.auth.v1.AuthService.ListAuditEvents": ["admin", {}],
  "triphub.auth.v1.AuthService.SetUserRoles": ["admin", { userId: ID, roles: ["ROLE_GUEST"] }],
  "triphub.auth.v1.AuthService.GetJwks": ["public", {}],
  "triphub.auth.v1.AuthService.RotateSigningKey": ["admin", {}],
  "triphub.auth.v1.AuthService.CreateApiKey": ["user", { name: "matrix", scopes: ["triphub.accommodation.v1.AccommodationService.*"] }],
  "triphub.auth.v1.AuthService.ListApiKeys": ["user", {}],
  "triphub.auth.v1.AuthService.RevokeApiKey": ["user", { apiKeyId: ID }],
  "triphub.auth.v1.AuthService.RotateApiKey": ["user", { apiKeyId: ID }],
  "triphub.auth.v1.AuthService.CheckSession": [{ services: ["gateway"] }, { sessionId: ID, userId: ID }],
  "triphub.auth.v1.AuthService.VerifyApiKey": [{ services: ["gateway"] }, { secret: "x".repeat(40) }],
  "triphub.auth.v1.AuthService.GetPublicProfile": [{ services: ["review"] }, { userId: ID }],
  "triphub.auth.v1.AuthService.StartOAuthLogin": ["public", { provider: "google", redirectUri: "https://app.example.com/cb" }],
  "triphub.auth.v1.AuthService.CompleteOAuthLogin": ["public", { provider: "google", code: "c", state: "s".repeat(20) }],
  "triphub.auth.v1.AuthService.LinkOAuthAccount": ["public", { linkToken: "x".repeat(43), password: "wrong password here" }],

  "triphub.accommodation.v1.AccommodationService.CreateProperty": ["host", { property: PROPERTY }],
  "triphub.accommodation.v1.AccommodationService.GetProperty": ["host", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.UpdateProperty": ["host", { property: { propertyId: ID, name: "Matrix", etag: 'W/"1"' }, updateMask: "name" }],
  "triphub.accommodation.v1.AccommodationService.DeleteProperty": ["host", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.ListMyProperties": ["host", {}],
  "triphub.accommodation.v1.AccommodationService.PublishProperty": ["host", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.UnpublishProperty": ["host", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.CreateRoomType": ["host", { propertyId: ID, roomType: ROOM_TYPE }],
  "triphub.accommodation.v1.AccommodationService.GetRoomType": ["host", { propertyId: ID, roomTypeId: ID }],
  "triphub.accommodation.v1.AccommodationService.UpdateRoomType": ["host", { roomType: { propertyId: ID, roomTypeId: ID, name: "Matrix", etag: 'W/"1"' }, updateMask: "name" }],
  "triphub.accommodation.v1.AccommodationService.DeleteRoomType": ["host", { propertyId: ID, roomTypeId: ID }],
  "triphub.accommodation.v1.AccommodationService.ListRoomTypes": ["host", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.GetCalendar": ["host", { propertyId: ID, roomTypeId: ID, ...{ startDate: "2027-03-01", endDate: "2027-03-03" } }],
  "triphub.accommodation.v1.AccommodationService.UpdateCalendar": ["host", { propertyId: ID, roomTypeId: ID, startDate: "2027-03-01", endDate: "2027-03-03", settings: { availableUnits: 1 }, updateMask: "availableUnits" }],
  "triphub.accommodation.v1.AccommodationService.SearchAccommodations": ["public", { destination: "Seoul" }],
  "triphub.accommodation.v1.AccommodationService.GetAccommodation": ["public", { propertyId: ID }],
  "triphub.accommodation.v1.AccommodationService.HoldInventory": [{ services: ["reservation"] }, { reservationId: ID }],
  "triphub.accommodation.v1.AccommodationService.ConfirmHold": [{ services: ["reservation"] }, { holdId: ID }],
  "triphub.accommodation.v1.AccommodationService.ReleaseHold": [{ services: ["reservation"] }, { holdId: ID }],
  "triphub.accommodation.v1.AccommodationService.GetHold": [{ services: ["reservation"] }, { reservationId: ID }],
  "triphub.accommodation.v1.AccommodationService.StreamEvents": [{ services: ["reservation", "review"] }, { stopAtHead: true }],

  "triphub.reservation.v1.ReservationService.CreateReservation": ["user", { requestId: ID, propertyId: ID, roomTypeId: ID, ...DATES }],
  "triphub.reservation.v1.ReservationService.GetReservation": ["user", { reservationId: ID }],
  "triphub.reservation.v1.ReservationService.WatchReservation": ["user", { reservationId: ID }],
  "triphub.reservation.v1.ReservationService.ListReservations": ["user", {}],
  "triphub.reservation.v1.ReservationService.CancelReservation": ["user", { reservationId: ID, reason: "CANCELLATION_REASON_CHANGE_OF_PLANS" }],
  "triphub.reservation.v1.ReservationService.GetReservationHistory": ["user", { reservationId: ID }],
  "triphub.reservation.v1.ReservationService.StreamEvents": [{ services: ["review"] }, { stopAtHead: true }],

  "triphub.payment.v1.PaymentService.AuthorizePayment": [{ services: ["reservation"] }, { reservationId: ID }],
  "triphub.payment.v1.PaymentService.CapturePayment": [{ services: ["reservation"] }, { paymentId: ID }],
  "triphub.payment.v1.PaymentService.VoidPayment": [{ services: ["reservation"] }, { paymentId: ID }],
  "triphub.payment.v1.PaymentService.RefundPayment": [{ services: ["reservation"] }, { paymentId: ID }],
  "triphub.payment.v1.PaymentService.GetPayment": ["user", { paymentId: ID }],
  "triphub.payment.v1.PaymentService.ListPayments": ["user", { reservationId: ID }],
  "triphub.payment.v1.PaymentService.StreamEvents": [{ services: ["reservation"] }, { stopAtHead: true }],

  "triphub.review.v1.ReviewService.CreateReview": ["user", { review: { reservationId: ID, rating: 5, body: "Fine." } }],
  "triphub.review.v1.ReviewService.GetReview": ["public", { reviewId: ID }],
  "triphub.review.v1.ReviewService.ListReviews": ["public", { propertyId: ID }],
  "triphub.review.v1.ReviewService.UpdateReview": ["user", { review: { reviewId: ID, title: "M" } }],
  "triphub.review.v1.ReviewService.DeleteReview": ["user", { reviewId: ID }],
  "triphub.review.v1.ReviewService.ReplyToReview": ["user", { reviewId: ID, body: "Thanks" }],
  "triphub.review.v1.ReviewService.ReportReview": ["user", { reviewId: ID, reason: "REPORT_REASON_SPAM" }],
  "triphub.review.v1.ReviewService.ModerateReview": ["admin", { reviewId: ID, action: "MODERATION_ACTION_HIDE", note: "matrix" }],
  "triphub.review.v1.ReviewService.MarkReviewHelpful": ["user", { reviewId: ID, helpful: true }],
  "triphub.review.v1.ReviewService.GetModerationTrail": ["admin", { reviewId: ID }],
  "triphub.review.v1.ReviewService.GetRatingStatistics": ["public", { propertyId: ID }],
  "triphub.review.v1.ReviewService.StreamEvents": [{ services: ["accommodation"] }, { stopAtHead: true }],

  "triphub.config.v1.ConfigService.GetConfig": [{ services: ["*"], roles: ["ADMIN"] }, { service: "review", environment: "dev" }],
  "triphub.config.v1.ConfigService.WatchConfig": [{ services: ["*"], roles: ["ADMIN"] }, { service: "review", environment: "dev" }],
  "triphub.config.v1.ConfigService.SetConfig": [{ services: ["deploy"], roles: ["ADMIN"] }, { service: "review", environment: "dev", values: {}, comment: "matrix" }],
  "triphub.config.v1.ConfigService.ListConfigVersions": [{ services: ["deploy"], roles: ["ADMIN"] }, { service: "review", environment: "dev" }],
  "triphub.config.v1.ConfigService.RollbackConfig": [{ services: ["deploy"], roles: ["ADMIN"] }, { service: "review", environment: "dev", toVersion: "1", comment: "matrix" }],

  // Any service may ask; each registers, heartbeats and deregisters only its own instances
  // (`serviceName` is the caller's below, and another's is tried in its own test). The
  // instance is deregistered by the next RPC in this order, before anyone could be sent to it.
  "triphub.registry.v1.RegistryService.Register": [{ services: ["*"] }, { serviceName: "review", instanceId: "matrix-1", address: "127.0.0.1:9", version: "matrix" }],
  "triphub.registry.v1.RegistryService.Heartbeat": [{ services: ["*"] }, { serviceName: "review", instanceId: "matrix-1" }],
  "triphub.registry.v1.RegistryService.Deregister": [{ services: ["*"] }, { serviceName: "review", instanceId: "matrix-1" }],
  "triphub.registry.v1.RegistryService.ListInstances": [{ services: ["*"] }, {}],
  "triphub.registry.v1.RegistryService.Resolve": [{ services: ["*"] }, { serviceName: "review" }],
  "triphub.registry.v1.RegistryService.WatchInstances": [{ services: ["*"] }, { serviceName: "review" }],
};

/** The registry's RPCs that act on the caller's own instances: `serviceName` must be its own. */
const OWN_INSTANCES = new Set(["Register", "Heartbeat", "Deregister"].map((m) => `triphub.registry.v1.RegistryService.${m}`));

const SERVICES: [DescService, string, number][] = [
  [AuthService, "auth", 7101],
  [AccommodationService, "accommodation", 7102],
  [PaymentService, "payment", 7103],
  [ReservationService, "reservation", 7104],
  [ReviewService, "review", 7105],
  [ConfigService, "config", 7107],
  [RegistryService, "registry", 7106],
];
const METHODS = SERVICES.flatMap(([s, name, port]) => s.methods.map((m) => ({ m, name, port })));
const fullName = (m: DescMethod) => `${m.parent.typeName}.${m.name}`;

let stack: RunningDevstack;
const ADMIN_EMAIL = "admin@matrix.test";
type Caller = { kind: string; headers: Record<string, string> };
const callersOf: Caller[] = [];
type Headers = Record<string, string>;
const who = {} as { guest: Headers; otherGuest: Headers; host: Headers; otherHost: Headers; demoGuest: Headers; guestKeyId: string };

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gatewayUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as { tokens?: { accessToken: string }; user?: { userId: string }; secret?: string; apiKey?: { apiKeyId: string } };
}
async function signUp(email: string) {
  return post("/api/v1/users", { email, password: "correct horse battery", displayName: "Matrix" });
}
beforeAll(async () => {
  stack = await startDevstack({ properties: 5, env: { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, RATE_LIMITS: "off" } });
  const admin = await signUp(ADMIN_EMAIL);
  const guest = await signUp("guest@matrix.test");
  const host = await signUp("host@matrix.test");
  const bearer = (t?: string) => ({ authorization: `Bearer ${t}` });
  await post(`/api/v1/users/${host.user!.userId}:setRoles`, { roles: ["ROLE_GUEST", "ROLE_HOST"] }, bearer(admin.tokens!.accessToken));
  const hostAgain = await post("/api/v1/auth:login", { email: "host@matrix.test", password: "correct horse battery" });
  // A real key, so that an allowed caller of VerifyApiKey gets OK rather than the RPC's own
  // UNAUTHENTICATED for an unknown key (which would read as a refusal of the caller).
  const key = await post("/api/v1/users/me/apiKeys", { name: "matrix", scopes: ["triphub.accommodation.v1.AccommodationService.*"] }, bearer(guest.tokens!.accessToken));
  MATRIX["triphub.auth.v1.AuthService.VerifyApiKey"]![1] = { secret: key.secret! };
  const otherGuest = await signUp("guest2@matrix.test");
  const otherHost = await signUp("host2@matrix.test");
  await post(`/api/v1/users/${otherHost.user!.userId}:setRoles`, { roles: ["ROLE_GUEST", "ROLE_HOST"] }, bearer(admin.tokens!.accessToken));
  const otherHostAgain = await post("/api/v1/auth:login", { email: "host2@matrix.test", password: "correct horse battery" });
  const demoPassword = (await readFile(join(stack.dataDir, "secrets", "demo-guest-password"), "utf8")).trim();
  const demo = await post("/api/v1/auth:login", { email: "guest@demo.triphub.test", password: demoPassword });
  Object.assign(who, {
    guest: bearer(guest.tokens!.accessToken),
    otherGuest: bearer(otherGuest.tokens!.accessToken),
    host: bearer(hostAgain.tokens!.accessToken),
    otherHost: bearer(otherHostAgain.tokens!.accessToken),
    demoGuest: bearer(demo.tokens!.accessToken),
    guestKeyId: key.apiKey!.apiKeyId,
  });
  // A first version, so that WatchConfig answers at once and RollbackConfig finds version 1.
  await call(target("config.v1.ConfigService.SetConfig"), MATRIX["triphub.config.v1.ConfigService.SetConfig"]![1], bearer(admin.tokens!.accessToken));
  callersOf.push(
    { kind: "anonymous", headers: {} },
    { kind: "guest", headers: bearer(guest.tokens!.accessToken) },
    { kind: "host", headers: bearer(hostAgain.tokens!.accessToken) },
    { kind: "admin", headers: bearer(admin.tokens!.accessToken) },
  );
}, 200_000);
afterAll(() => stack?.stop(), 30_000);

/** One call at the service's own port: its code (OK when it succeeds, or when a stream opens and ends cleanly) and answer. */
async function call(target: { m: DescMethod; port: number }, request: JsonObject, headers: Record<string, string>): Promise<{ code: Code | "OK"; answer?: JsonValue }> {
  const service = target.m.parent;
  const client = createClient(service, createGrpcTransport({ baseUrl: `http://127.0.0.1:${target.port + stack.offset}` })) as unknown as Record<
    string,
    (req: unknown, opts: unknown) => unknown
  >;
  try {
    const pending = client[target.m.localName]!(fromJson(target.m.input, request, { ignoreUnknownFields: true }), { headers, timeoutMs: 10_000 });
    if (target.m.methodKind === "server_streaming") {
      for await (const _ of pending as AsyncIterable<unknown>) break;
      return { code: "OK" };
    }
    return { code: "OK", answer: toJson(target.m.output, (await pending) as never) };
  } catch (e) {
    const err = ConnectError.from(e);
    lastMessage = err.rawMessage;
    return { code: err.code };
  }
}
let lastMessage = "";

/** The code of one call with the RPC's request from the matrix. */
const codeOf = async (target: { m: DescMethod; port: number }, headers: Record<string, string>) =>
  (await call(target, MATRIX[fullName(target.m)]![1], headers)).code;

const DENIED = [Code.Unauthenticated, Code.PermissionDenied];
const named = (c: Code | "OK") => (c === "OK" ? "OK" : Code[c]);

describe("the authorization matrix", () => {
  it("has a rule for every RPC, and each agrees with the contract's options", () => {
    expect(METHODS.map(({ m }) => fullName(m)).filter((n) => !(n in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((n) => !METHODS.some(({ m }) => fullName(m) === n))).toEqual([]);
    for (const { m } of METHODS) {
      const [rule] = MATRIX[fullName(m)]!;
      const internal = !hasOption(m, http);
      expect(typeof rule === "object", `${fullName(m)} internal`).toBe(internal);
      if (typeof rule === "object") {
        expect([...getOption(m, callers).services].sort(), fullName(m)).toEqual([...rule.services].sort());
        expect([...getOption(m, callers).roles].sort(), `${fullName(m)} roles`).toEqual([...(rule.roles ?? [])].sort());
      }
      const isPublic = hasOption(m, edge) && getOption(m, edge).public;
      expect(rule === "public", `${fullName(m)} public`).toBe(isPublic);
    }
  });

  it("lets only the services an internal RPC names call it", { timeout: 120_000 }, async () => {
    const wrong: string[] = [];
    const tokenUrl = `http://127.0.0.1:${7101 + stack.offset}/oauth2/token`;
    const platform = [...SERVICES.map(([, name]) => name), "gateway", "deploy"];
    for (const caller of platform) {
      const clientSecret = (await readFile(join(stack.dataDir, "secrets", `service-${caller}`), "utf8")).trim();
      const tokens = createServiceTokenSource({ clientId: caller, clientSecret, tokenUrl });
      for (const target of METHODS) {
        const [rule] = MATRIX[fullName(target.m)]!;
        if (typeof rule !== "object") continue;
        const [, request] = MATRIX[fullName(target.m)]!;
        const own = OWN_INSTANCES.has(fullName(target.m)) ? { ...request, serviceName: caller } : request;
        const { code } = await call(target, own, { [SERVICE_TOKEN_HEADER]: await tokens.tokenFor(target.name) });
        const allowed = rule.services.includes(caller) || rule.services.includes("*");
        if (allowed ? DENIED.includes(code as Code) : code !== Code.PermissionDenied) {
          wrong.push(`${fullName(target.m)} as service ${caller}: ${named(code)} (expected ${allowed ? "not refused" : "PermissionDenied"}): ${lastMessage}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("lets a service register, heartbeat and deregister only its own instances", { timeout: 60_000 }, async () => {
    const tokenUrl = `http://127.0.0.1:${7101 + stack.offset}/oauth2/token`;
    const clientSecret = (await readFile(join(stack.dataDir, "secrets", "service-payment"), "utf8")).trim();
    const tokens = createServiceTokenSource({ clientId: "payment", clientSecret, tokenUrl });
    const headers = { [SERVICE_TOKEN_HEADER]: await tokens.tokenFor("registry") };
    const codes: Record<string, string> = {};
    for (const name of OWN_INSTANCES) {
      const { code } = await call(target(name.replace(/^triphub\./, "")), { ...MATRIX[name]![1], serviceName: "accommodation" }, headers);
      codes[name] = named(code);
    }
    expect(Object.values(codes)).toEqual(["PermissionDenied", "PermissionDenied", "PermissionDenied"]);
    // Nothing was registered under accommodation's name.
    const { answer } = await call(target("registry.v1.RegistryService.Resolve"), { serviceName: "accommodation" }, headers);
    expect(JSON.stringify(answer)).not.toContain("matrix-1");
  });

  it("is enforced at every service's port for users of each role", { timeout: 120_000 }, async () => {
    const wrong: string[] = [];
    for (const target of METHODS) {
      const name = fullName(target.m);
      const [rule] = MATRIX[name]!;
      for (const caller of callersOf) {
        const code = await codeOf(target, caller.headers);
        const allowed =
          rule === "public" ||
          (rule === "user" && caller.kind !== "anonymous") ||
          (rule === "host" && (caller.kind === "host" || caller.kind === "admin")) ||
          (rule === "admin" && caller.kind === "admin") ||
          (typeof rule === "object" && caller.kind === "admin" && (rule.roles ?? []).includes("ADMIN"));
        // Allowed callers get the RPC's own answer (often NOT_FOUND for the made-up ids), never a
        // refusal of who they are; everyone else is refused as who they are.
        // Public RPCs may refuse bad credentials of their own (Login); nobody is refused a
        // public RPC for who they are. A host's RPC on a property that is not the caller's is
        // NOT_FOUND, like one that does not exist (ids cannot be probed); a guest's too.
        const expected = allowed ? "not refused" : caller.kind === "anonymous" && typeof rule !== "object" ? "Unauthenticated" : "PermissionDenied";
        const ok =
          rule === "public"
            ? code !== Code.PermissionDenied
            : allowed
              ? !DENIED.includes(code as Code)
              : expected === "Unauthenticated"
                ? code === Code.Unauthenticated
                : code === Code.PermissionDenied || (rule === "host" && code === Code.NotFound);
        if (!ok) wrong.push(`${name} as ${caller.kind}: ${named(code)} (expected ${expected}): ${lastMessage}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

const target = (name: string) => METHODS.find(({ m }) => fullName(m) === `triphub.${name}`)!;
/** The matrix's request for `name` with the made-up ids replaced by real ones, field by field. */
function requestOf(name: string, ids: Record<string, string>): JsonObject {
  const swap = (v: JsonValue, key?: string): JsonValue => {
    if (Array.isArray(v)) return v.map((x) => swap(x));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x, k)]));
    return v === ID && key && ids[key] ? ids[key] : v;
  };
  return swap(MATRIX[`triphub.${name}`]![1]) as JsonObject;
}
const REFUSED = [Code.NotFound, Code.PermissionDenied];
/** A set-up call's answer, or the reason it failed. */
async function setUp<T>(name: string, request: JsonObject, headers: Headers): Promise<T> {
  const { code, answer } = await call(target(name), request, headers);
  if (code !== "OK") throw new Error(`${name}: ${named(code)}: ${lastMessage}`);
  return answer as T;
}

/**
 * Someone else's resource: each RPC that acts on one, called by a user of the same role who does
 * not own it (refused as NOT_FOUND or PERMISSION_DENIED, or an empty list; nothing changes), then by its owner
 * (not refused). Destructive RPCs come last in each list, so the owner's calls find the resource.
 */
describe("someone else's resources", () => {
  async function expectOwnership(rpcs: string[], ids: Record<string, string>, owner: Headers, other: Headers, unchanged?: () => Promise<void>) {
    const wrong: string[] = [];
    for (const name of rpcs) {
      const { code, answer } = await call(target(name), requestOf(name, ids), other);
      // A list filtered to the caller's own items answers someone else's with none.
      const empty = code === "OK" && name.includes(".List") && Object.values(answer as JsonObject).every((v) => !Array.isArray(v) || v.length === 0);
      if (!REFUSED.includes(code as Code) && !empty) wrong.push(`${name} by another user: ${named(code)}: ${JSON.stringify(answer) ?? lastMessage}`);
    }
    await unchanged?.();
    for (const name of rpcs) {
      const { code } = await call(target(name), requestOf(name, ids), owner);
      if (DENIED.includes(code as Code) || code === Code.NotFound) wrong.push(`${name} by its owner: ${named(code)}: ${lastMessage}`);
    }
    expect(wrong).toEqual([]);
  }

  it("a host's property, room types and calendar", { timeout: 60_000 }, async () => {
    const { propertyId } = (await setUp<{ property: { propertyId: string } }>("accommodation.v1.AccommodationService.CreateProperty", { property: PROPERTY }, who.host)).property;
    const { roomTypeId } = (await setUp<{ roomType: { roomTypeId: string } }>("accommodation.v1.AccommodationService.CreateRoomType", { propertyId, roomType: ROOM_TYPE }, who.host)).roomType;
    const rpcs = ["GetProperty", "UpdateProperty", "PublishProperty", "UnpublishProperty", "CreateRoomType", "GetRoomType", "UpdateRoomType", "ListRoomTypes", "GetCalendar", "UpdateCalendar", "DeleteRoomType", "DeleteProperty"];
    const get = target("accommodation.v1.AccommodationService.GetProperty");
    const before = (await call(get, { propertyId }, who.host)).answer;
    await expectOwnership(rpcs.map((n) => `accommodation.v1.AccommodationService.${n}`), { propertyId, roomTypeId }, who.host, who.otherHost, async () => {
      expect((await call(get, { propertyId }, who.host)).answer, "unchanged by the refused calls").toEqual(before);
    });
  });

  it("a guest's reservation, its payments and the guest's API keys", { timeout: 60_000 }, async () => {
    const inDays = (d: number) => new Date(Date.now() + d * 864e5).toISOString().slice(0, 10);
    type Hits = { results: { accommodation: { propertyId: string }; bestOffer: { roomTypeId: string } }[] };
    const search = { destination: "Seoul", checkIn: inDays(20), checkOut: inDays(22), guests: { adults: 2 }, pageSize: 1 };
    const hit = (await setUp<Hits>("accommodation.v1.AccommodationService.SearchAccommodations", search, {})).results[0]!;
    const booked = await setUp<{ reservation: { reservationId: string } }>(
      "reservation.v1.ReservationService.CreateReservation",
      {
        requestId: crypto.randomUUID(),
        propertyId: hit.accommodation.propertyId,
        roomTypeId: hit.bestOffer.roomTypeId,
        checkIn: inDays(20),
        checkOut: inDays(22),
        guests: { adults: 2 },
        units: 1,
        contact: { fullName: "Matrix Guest", email: "guest@matrix.test" },
        paymentMethodToken: "tok_visa",
      },
      who.guest,
    );
    const { reservationId } = booked.reservation;
    // The saga authorizes the card after the answer when the call returns early.
    const { paymentId } = await eventually(async () => {
      const { payments } = await setUp<{ payments: { paymentId: string }[] }>("payment.v1.PaymentService.ListPayments", { reservationId }, who.guest);
      if (!payments?.[0]) throw new Error("no payment yet");
      return payments[0];
    });
    await expectOwnership(
      ["GetReservation", "WatchReservation", "GetReservationHistory", "CancelReservation"].map((n) => `reservation.v1.ReservationService.${n}`).concat(["payment.v1.PaymentService.ListPayments", "payment.v1.PaymentService.GetPayment"]),
      { reservationId, paymentId },
      who.guest,
      who.otherGuest,
    );
    await expectOwnership(["auth.v1.AuthService.RotateApiKey", "auth.v1.AuthService.RevokeApiKey"], { apiKeyId: who.guestKeyId }, who.guest, who.otherGuest);
  });

  it("a guest's review; only the property's host may reply", { timeout: 60_000 }, async () => {
    const mine = await setUp<{ reservations: { reservationId: string; status: string }[] }>("reservation.v1.ReservationService.ListReservations", {}, who.demoGuest);
    const stay = mine.reservations.find((r) => r.status === "RESERVATION_STATUS_COMPLETED")!;
    const review = { reservationId: stay.reservationId, rating: 4, body: "Quiet and clean." };
    const { reviewId } = (await setUp<{ review: { reviewId: string } }>("review.v1.ReviewService.CreateReview", { review }, who.demoGuest)).review;
    const { code } = await call(target("review.v1.ReviewService.ReplyToReview"), requestOf("review.v1.ReviewService.ReplyToReview", { reviewId }), who.otherHost);
    expect(REFUSED, `a reply by a host of another property: ${lastMessage}`).toContain(code);
    await expectOwnership(["review.v1.ReviewService.UpdateReview", "review.v1.ReviewService.DeleteReview"], { reviewId }, who.demoGuest, who.otherGuest);
  });
});
