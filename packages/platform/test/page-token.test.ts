import { describe, expect, it } from "vitest";
import { DomainError } from "../src/domain-error.js";
import { decodePageToken, encodePageToken, pageSize } from "../src/page-token.js";

const last = { at: new Date("2026-03-01T09:30:00.123Z"), id: "0b6f1f9e-4d2c-4a51-9a3e-2f7c1d9b8e11" };
const scope = JSON.stringify(["9d1c2f2a-1111-4222-8333-444455556666", "ann@example.com"]);

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError, but it returned");
}

const raw = (fields: unknown[]) => Buffer.from(JSON.stringify(fields)).toString("base64url");

describe("page tokens", () => {
  it("give back the cursor they were made from, with or without a scope", () => {
    expect(decodePageToken(encodePageToken(last, scope), "ListThings", scope)).toEqual(last);
    expect(decodePageToken(encodePageToken(last), "ListThings")).toEqual(last);
  });

  it("carry a short hash of the scope, never the scope itself", () => {
    const token = encodePageToken(last, scope);
    const fields = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    expect(fields).toHaveLength(3);
    expect(fields[2]).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(Buffer.from(token, "base64url").toString("utf8")).not.toContain("ann@example.com");
  });

  it.each([
    ["another scope", encodePageToken(last, scope), JSON.stringify(["other", "ann@example.com"])],
    ["a scope where none was used", encodePageToken(last), scope],
    ["no scope where one was used", encodePageToken(last, scope), undefined],
    ["an empty scope where one was used", encodePageToken(last, scope), ""],
  ])("refuse %s as a page_token from a different query, naming neither scope", (_case, token, asked) => {
    const err = failure(() => decodePageToken(token, "ListThings", asked));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations).toEqual([{ field: "page_token", description: expect.stringContaining("different ListThings query") }]);
    expect(err.message).not.toContain("ann@example.com");
    expect(err.message).not.toContain("9d1c2f2a");
  });

  // Tokens made before scopes existed: accepted only by an unscoped call.
  it("read an old two-element token only without a scope", () => {
    const old = raw([last.at.toISOString(), last.id]);
    expect(decodePageToken(old, "ListThings")).toEqual(last);
    expect(failure(() => decodePageToken(old, "ListThings", scope)).details.violations?.[0].field).toBe("page_token");
  });

  it.each([
    ["garbage", "garbage!"],
    ["an empty array", raw([])],
    ["a bad id", raw([last.at.toISOString(), "x"])],
    ["a bad date", raw(["yesterday", last.id])],
    ["a non-string hash", raw([last.at.toISOString(), last.id, 7])],
    ["too many fields", raw([last.at.toISOString(), last.id, "AAAAAAAAAAA", "x"])],
  ])("refuse %s as not a token from a previous call", (_case, token) => {
    const err = failure(() => decodePageToken(token, "ListThings", scope));
    expect(err.details.violations).toEqual([{ field: "page_token", description: "is not a token from a previous ListThings call" }]);
  });
});

describe("pageSize", () => {
  it.each([
    [undefined, 20], [0, 20], [-1, 20], [7, 7], [7.9, 7], [100, 50],
  ])("serves %s as %i", (asked, served) => {
    expect(pageSize(asked, 20, 50)).toBe(served);
  });
});
