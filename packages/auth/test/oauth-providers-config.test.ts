import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@triphub/platform";
import { testSealingKeys } from "@triphub/testkit";
import { describe, expect, it } from "vitest";
import { loadAuthConfig } from "../src/index.js";

const SECRET = "s3cr3t-value-that-must-never-be-echoed";
const DB = "postgres://localhost/auth";

const google = {
  issuer: "https://accounts.google.com",
  clientId: "1234567890-abc.apps.googleusercontent.com",
  clientSecret: SECRET,
  scopes: ["email", "profile"],
  allowedRedirectUris: ["https://triphub.example/oauth/callback/google"],
};

const load = (providers: unknown) =>
  loadAuthConfig({ DATABASE_URL: DB, ...testSealingKeys(), OAUTH_PROVIDERS: typeof providers === "string" ? providers : JSON.stringify(providers) });

function failure(providers: unknown): string {
  try {
    load(providers);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("OAUTH_PROVIDERS", () => {
  it("is empty when unset: social login is off", () => {
    expect(loadAuthConfig({ DATABASE_URL: DB, ...testSealingKeys() }).OAUTH_PROVIDERS.size).toBe(0);
  });

  it("reads providers by name, adding the openid scope when it is missing", () => {
    const kakao = { ...google, issuer: "https://kauth.kakao.com", clientId: "kakao-rest-key", tokenEndpointAuthMethod: "client_secret_post" };
    const providers = load({ google, kakao }).OAUTH_PROVIDERS;
    expect([...providers.keys()]).toEqual(["google", "kakao"]);
    expect(providers.get("google")).toMatchObject({ name: "google", clientSecret: SECRET, scopes: ["openid", "email", "profile"] });
    expect(providers.get("kakao")?.tokenEndpointAuthMethod).toBe("client_secret_post");
  });

  it("reads the client secret from a file, trimmed", () => {
    const file = join(mkdtempSync(join(tmpdir(), "oauth-secret-")), "google");
    writeFileSync(file, `${SECRET}\n`);
    const { clientSecret: _inline, ...rest } = google;
    expect(load({ google: { ...rest, clientSecretFile: file } }).OAUTH_PROVIDERS.get("google")?.clientSecret).toBe(SECRET);
  });

  it.each<[string, unknown, RegExp]>([
    ["JSON that does not parse", `{"google": {"clientSecret": "${SECRET}"`, /is not valid JSON/],
    ["a list instead of an object", [google], /JSON object/],
    ["a plain http issuer elsewhere than localhost", { google: { ...google, issuer: "http://accounts.google.com" } }, /issuer must be https/],
    ["no client id", { google: { ...google, clientId: "" } }, /clientId/],
    ["both an inline secret and a file", { google: { ...google, clientSecretFile: "/run/secrets/x" } }, /exactly one of clientSecret and clientSecretFile/],
    ["a secret file that does not exist", { google: { ...google, clientSecret: undefined, clientSecretFile: "/nonexistent/secret" } }, /cannot be read/],
    ["a misspelt field", { google: { ...google, redirectUris: [] } }, /unknown field\(s\) redirectUris/],
    ["no redirect URIs", { google: { ...google, allowedRedirectUris: [] } }, /allowedRedirectUris/],
    ["a redirect URI with a fragment", { google: { ...google, allowedRedirectUris: ["https://triphub.example/cb#x"] } }, /fragment/],
    ["a plain http redirect URI elsewhere than localhost", { google: { ...google, allowedRedirectUris: ["http://triphub.example/cb"] } }, /must be https/],
    ["a provider name with capitals", { Google: google }, /the name must match/],
    ["an unknown token endpoint auth method", { google: { ...google, tokenEndpointAuthMethod: "private_key_jwt" } }, /tokenEndpointAuthMethod/],
  ])("stops the service on %s, naming the problem and never echoing the value", (_name, providers, problem) => {
    const message = failure(providers);
    expect(message).toMatch(/OAUTH_PROVIDERS/);
    expect(message).toMatch(problem);
    expect(message).not.toContain(SECRET);
    expect(message).toContain("got (hidden)");
  });
});
