// What other users see of an account (for review's bylines): display name and country only,
// to the services the contract names and nobody else.
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { countryOfLocale, createServiceClient } from "@triphub/platform";
import { type RunningService, testServiceIdentities } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startAuth } from "./harness.js";

const identities = testServiceIdentities(["review", "reservation"]);
let auth: RunningService;
beforeAll(async () => {
  auth = await startAuth(undefined, { SERVICE_CLIENTS: identities.serviceClients });
});
afterAll(() => auth?.close());

const as = (service: "review" | "reservation") =>
  createServiceClient(AuthService, auth.url, { identity: { tokens: identities.tokens(service, auth.url), audience: "auth" } });
const codeOf = (p: Promise<unknown>) => p.then(() => Code.Unknown, (e: unknown) => ConnectError.from(e).code);

describe("GetPublicProfile", () => {
  it("gives review the display name and the locale's country, and nothing personal", async () => {
    const { user, tokens } = await signUp(auth);
    await auth.client(AuthService).updateMe(
      { user: { displayName: "Minji", locale: "ko-KR", phone: "+821012345678" }, updateMask: { paths: ["display_name", "locale", "phone"] } },
      { headers: { authorization: `Bearer ${tokens.accessToken}` } },
    );
    const { profile } = await as("review").getPublicProfile({ userId: user.userId });
    expect(profile).toMatchObject({ userId: user.userId, displayName: "Minji", country: "KR" });
    expect(JSON.stringify(profile)).not.toMatch(/example\.com|\+8210/);
  });

  it("is NOT_FOUND for an unknown user", async () => {
    expect(await codeOf(as("review").getPublicProfile({ userId: "00000000-0000-4000-8000-000000000000" }))).toBe(Code.NotFound);
  });

  it("refuses users and services the contract does not name", async () => {
    const { user, tokens } = await signUp(auth);
    expect(await codeOf(as("reservation").getPublicProfile({ userId: user.userId }))).toBe(Code.PermissionDenied);
    const asUser = auth.client(AuthService).getPublicProfile(
      { userId: user.userId },
      { headers: { authorization: `Bearer ${tokens.accessToken}` } },
    );
    expect([Code.PermissionDenied, Code.Unauthenticated]).toContain(await codeOf(asUser));
  });
});

describe("countryOfLocale", () => {
  it.each([
    ["ko-KR", "KR"],
    ["zh-Hant-TW", "TW"],
    ["en_us", "US"],
    ["ja", ""],
    ["", ""],
    ["es-419", ""],
  ])("%s → %s", (locale, country) => expect(countryOfLocale(locale)).toBe(country));
});
