import { GatewaySettingsSchema, ReservationSettingsSchema } from "@triphub/contracts/triphub/config/v1/settings_pb";
import { isMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { configurableServices, parseSettings, settingsSchemaOf } from "../src/index.js";

describe("settings schemas", () => {
  it("finds each service's settings message by its settings_of option", () => {
    expect(settingsSchemaOf("gateway")?.typeName).toBe("triphub.config.v1.GatewaySettings");
    expect(settingsSchemaOf("reservation")?.typeName).toBe("triphub.config.v1.ReservationSettings");
    expect(settingsSchemaOf("nosuch")).toBeUndefined();
    expect(configurableServices()).toEqual(expect.arrayContaining(["gateway", "accommodation", "reservation"]));
  });
});

describe("parseSettings", () => {
  it("parses each key to its field's type, through nested groups and maps", () => {
    const r = parseSettings(GatewaySettingsSchema, {
      log_level: "debug",
      "feature_flags.instant_book": "true",
      "feature_flags.old_search": "false",
      "rate_limits.search.ip.limit": "30",
      "rate_limits.search.ip.period_seconds": "60",
      "rate_limits.default.key.limit": "1000",
    });
    expect(r.ok).toBe(true);
    if (!r.ok || !isMessage(r.settings, GatewaySettingsSchema)) throw new Error("not parsed");
    expect(r.settings.logLevel).toBe("debug");
    expect(r.settings.featureFlags).toEqual({ instant_book: true, old_search: false });
    expect(r.settings.rateLimits?.search?.ip).toMatchObject({ limit: 30, periodSeconds: 60 });
    expect(r.settings.rateLimits?.default?.key?.limit).toBe(1000);
  });

  it("leaves what is not set unset", () => {
    const r = parseSettings(ReservationSettingsSchema, {});
    if (!r.ok || !isMessage(r.settings, ReservationSettingsSchema)) throw new Error("not parsed");
    expect([r.settings.logLevel, r.settings.holdTtlSeconds]).toEqual([undefined, undefined]);
  });

  it.each([
    [{ log_level: "loud" }, "values[log_level]", "must be in list"],
    [{ "rate_limits.search.ip.limit": "-5" }, "values[rate_limits.search.ip.limit]", "greater than or equal to 1"],
    [{ "rate_limits.search.ip.limit": "9999999999" }, "values[rate_limits.search.ip.limit]", "whole number from"],
    [{ "rate_limits.search.ip.limit": "3.5" }, "values[rate_limits.search.ip.limit]", "whole number"],
    [{ "feature_flags.instant_book": "1" }, "values[feature_flags.instant_book]", "true or false"],
    [{ "feature_flags.Bad-Name": "true" }, "values[feature_flags.Bad-Name]", "match regex"],
    [{ cache_size: "10" }, "values[cache_size]", "not a setting"],
    [{ "rate_limits.search.everyone.limit": "10" }, "values[rate_limits.search.everyone.limit]", "not a setting"],
    [{ "log_level.extra": "x" }, "values[log_level.extra]", "not a setting"],
    [{ rate_limits: "10" }, "values[rate_limits]", "group of settings"],
    [{ feature_flags: "true" }, "values[feature_flags]", "is a map"],
    [{ "smtp.password": "x" }, "values[smtp.password]", "secret"],
    [{ "stripe.api_key": "x" }, "values[stripe.api_key]", "secret"],
    [{ "session.token": "x" }, "values[session.token]", "secret"],
  ])("refuses %j: %s %s", (values, field, description) => {
    const r = parseSettings(GatewaySettingsSchema, values);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.field).toBe(field);
    expect(r.violations[0]!.description).toContain(description);
  });

  it("accepts a key containing 'key' that the schema declares (a per-API-key quota)", () => {
    expect(parseSettings(GatewaySettingsSchema, { "rate_limits.login.key.limit": "10" }).ok).toBe(true);
  });

  it("reports every bad key at once", () => {
    const r = parseSettings(GatewaySettingsSchema, { log_level: "loud", nope: "1", "rate_limits.login.ip.limit": "0" });
    expect(r.ok ? [] : r.violations.map((v) => v.field).sort()).toEqual(["values[nope]"]);
    // Values that parse are checked against the rules only once every key parses.
    const rules = parseSettings(GatewaySettingsSchema, { log_level: "loud", "rate_limits.login.ip.limit": "0" });
    expect(rules.ok ? [] : rules.violations.map((v) => v.field).sort()).toEqual(["values[log_level]", "values[rate_limits.login.ip.limit]"]);
  });
});
