import { describe, expect, it } from "vitest";
import { ConfigError, env, InvalidValue, loadConfig } from "../src/index.js";

const spec = {
  PORT: env.port(7001),
  LOG_LEVEL: env.oneOf(["debug", "info", "warn"] as const, "info"),
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  TRUST_PROXY: env.bool(false),
};

describe("loadConfig", () => {
  it("applies defaults and parses types", () => {
    const cfg = loadConfig(spec, { DATABASE_URL: "postgres://localhost/auth", TRUST_PROXY: "true" });
    expect(cfg).toEqual({ PORT: 7001, LOG_LEVEL: "info", DATABASE_URL: "postgres://localhost/auth", TRUST_PROXY: true });
  });

  it("names every bad variable at once, without echoing secrets", () => {
    const run = () => loadConfig(spec, { PORT: "70000", LOG_LEVEL: "loud", DATABASE_URL: "mysql://u:pw@h/db" });
    expect(run).toThrow(ConfigError);
    const message = (() => {
      try {
        run();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toContain("PORT must be an integer from 0 to 65535");
    expect(message).toContain('LOG_LEVEL must be one of debug, info, warn (expected one of debug, info, warn; got "loud")');
    expect(message).toContain("DATABASE_URL must use postgres or postgresql");
    expect(message).not.toContain("pw@h");
  });

  it("reads a service address as one URL or the comma-separated URLs of its instances", () => {
    const addr = { ACCOMMODATION_URL: env.serviceUrl("http://127.0.0.1:7102"), REVIEW_URL: env.optionalServiceUrl() };
    expect(loadConfig(addr, {})).toEqual({ ACCOMMODATION_URL: "http://127.0.0.1:7102", REVIEW_URL: undefined });
    expect(loadConfig(addr, { ACCOMMODATION_URL: " http://a:1 , https://b:2 ", REVIEW_URL: "http://r:3" })).toEqual({
      ACCOMMODATION_URL: "http://a:1,https://b:2",
      REVIEW_URL: "http://r:3",
    });
    expect(() => loadConfig(addr, { ACCOMMODATION_URL: "http://a:1,b:2" })).toThrow(/ACCOMMODATION_URL must use http or https/);
    expect(() => loadConfig(addr, { REVIEW_URL: "http://a:1,nope" })).toThrow(/REVIEW_URL must be http\(s\) URLs separated by commas/);
    // Or where to find them: the registry, or the cluster's DNS.
    expect(loadConfig(addr, { REVIEW_URL: "registry:///review" }).REVIEW_URL).toBe("registry:///review");
    expect(loadConfig(addr, { REVIEW_URL: "dns:///review.triphub.svc:7105" }).REVIEW_URL).toBe("dns:///review.triphub.svc:7105");
    expect(() => loadConfig(addr, { REVIEW_URL: "registry://review" })).toThrow(/REVIEW_URL must be registry:\/\/\/<service>/);
  });

  it("takes a long enough secret, refuses a short one without showing it, and leaves it unset by default", () => {
    const secrets = { SIGNING_KEY: env.optionalSecret(32) };
    expect(loadConfig(secrets, {})).toEqual({ SIGNING_KEY: undefined });
    expect(loadConfig(secrets, { SIGNING_KEY: "x".repeat(32) })).toEqual({ SIGNING_KEY: "x".repeat(32) });
    expect(() => loadConfig(secrets, { SIGNING_KEY: "short-secret-value" })).toThrow(/SIGNING_KEY must be at least 32 characters .*\(hidden\)/);
  });

  it("never shows the value of a variable marked secret, whatever its name", () => {
    const spec = { PROVIDERS: { ...env.string(), secret: true, parse: () => { throw new InvalidValue("is wrong"); } } };
    expect(() => loadConfig(spec, { PROVIDERS: '{"clientSecret":"s3cr3t"}' })).toThrow(/PROVIDERS is wrong \(expected a string; got \(hidden\)\)/);
  });

  it("reports a required variable that is missing", () => {
    expect(() => loadConfig(spec, {})).toThrow(/DATABASE_URL is required/);
  });
});
