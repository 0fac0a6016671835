import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "../src/config.js";

describe("IGNORED_QUERY_PARAMS", () => {
  it.each([
    { raw: undefined, list: [] },
    { raw: "", list: [] },
    { raw: "_", list: ["_"] },
    { raw: " _ , utm_* ,, fbclid ", list: ["_", /^utm_/, "fbclid"] },
    // Only the trailing * means a prefix; anything else in a name is literal.
    { raw: "a.b*", list: [/^a\.b/] },
  ])("reads $raw as $list", (c) => {
    expect(loadGatewayConfig({ IGNORED_QUERY_PARAMS: c.raw }).IGNORED_QUERY_PARAMS).toEqual(c.list);
  });
});
