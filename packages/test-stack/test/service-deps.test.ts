// A service built on serviceDeps beside the stack's auth: it checks users' tokens on the
// platform's clock, answers only the services its proto lists, and its own identity works.
// A stand-in on the review contract keeps this package free of any real service's.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { MIGRATIONS_FOLDER } from "@triphub/auth";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { createService, createServiceTokenSource, requireIdentity } from "@triphub/platform";
import { rejectionOf, type RunningService, serve, testClock } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAs, type ServiceDeps, serviceDeps, startAuth, type TestAuth } from "../src/index.js";

const clock = testClock();
let auth: TestAuth;
let deps: ServiceDeps;
let review: RunningService;
beforeAll(async () => {
  auth = await startAuth({ name: "test_stack_deps", clock });
  // Any migrations do: the stand-in stores nothing.
  deps = await serviceDeps(auth, { service: "review", migrationsFolder: MIGRATIONS_FOLDER });
  const { config, ...rest } = deps;
  review = await serve(
    await createService({
      ...rest,
      name: "review",
      serviceNames: [ReviewService.typeName],
      tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
      routes: (router) =>
        router.service(ReviewService, {
          listReviews: (_req, ctx) => ({ nextPageToken: requireIdentity(ctx).userId }),
          async *streamEvents() {},
        }),
    }),
  );
});
afterAll(async () => {
  await review?.close();
  await auth?.close();
});

const codeOf = async (call: Promise<unknown>) => (await rejectionOf(call, ConnectError)).code;
const drain = async (events: AsyncIterable<unknown>) => {
  for await (const _ of events) break;
};

describe("serviceDeps", () => {
  it("checks users' tokens against the stack's auth, on its clock", async () => {
    const user = await auth.signUp();
    const list = (caller: Parameters<typeof clientAs>[2]) => clientAs(review, ReviewService, caller).listReviews({ propertyId: randomUUID() });
    expect((await list(user)).nextPageToken).toBe(user.userId);
    expect(await codeOf(list(undefined))).toBe(Code.Unauthenticated);
    clock.advance(60 * 60_000);
    expect(await codeOf(list(user))).toBe(Code.Unauthenticated);
    expect((await list(await auth.signInAgain(user))).nextPageToken).toBe(user.userId);
  });

  it("answers an internal RPC for the services its proto lists, by their service tokens", async () => {
    await drain(clientAs(review, ReviewService, auth.asService("accommodation")).streamEvents({}));
    expect(await codeOf(drain(clientAs(review, ReviewService, auth.asService("payment")).streamEvents({})))).toBe(Code.PermissionDenied);
    expect(await codeOf(drain(clientAs(review, ReviewService, auth.admin).streamEvents({})))).toBe(Code.PermissionDenied);
  });

  it("gives the service an identity it can call others with", async () => {
    const { AUTH_TOKEN_URL: tokenUrl, SERVICE_CLIENT_SECRET: clientSecret } = deps.config;
    const tokens = createServiceTokenSource({ tokenUrl, clientId: "review", clientSecret }, clock.now);
    // Calling itself: PERMISSION_DENIED, not UNAUTHENTICATED, so auth issued the token and the
    // service took it as review's; only review is not on its own StreamEvents list.
    const self = clientAs(review, ReviewService, { service: "review", tokens });
    expect(await codeOf(drain(self.streamEvents({})))).toBe(Code.PermissionDenied);
  });
});
