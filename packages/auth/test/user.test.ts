import { DomainError } from "@triphub/platform/domain-error";
import { describe, expect, it } from "vitest";
import { applyProfilePatch, newUser, normalizeEmail, normalizeRoles } from "../src/domain/user.js";
import type { Role, User } from "../src/domain/user.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const t1 = new Date("2026-01-02T00:00:00.000Z");

const jane: User = {
  id: "7d0c1c8e-2f0a-4b7e-9d1e-0f5b1a2c3d4e",
  email: "Jane@Example.com",
  displayName: "Jane",
  phone: "+821012345678",
  locale: "ko-KR",
  roles: ["GUEST"],
  createdAt: t0,
  updatedAt: t0,
};

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error("expected a DomainError");
}

describe("normalizeEmail", () => {
  it.each([
    ["Jane@Example.COM", "jane@example.com"],
    ["  jane@example.com \n", "jane@example.com"],
    ["jane@example.com", "jane@example.com"],
    // "é" as e + combining acute accent becomes the single code point.
    ["Rene\u0301@example.com", "ren\u00e9@example.com"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe("normalizeRoles", () => {
  it.each<[Role[], Role[]]>([
    [[], ["GUEST"]],
    [["HOST"], ["GUEST", "HOST"]],
    [["ADMIN", "HOST", "ADMIN"], ["GUEST", "HOST", "ADMIN"]],
    [["ADMIN", "GUEST"], ["GUEST", "ADMIN"]],
    [["GUEST", "GUEST"], ["GUEST"]],
  ])("turns %j into %j", (input, expected) => {
    expect(normalizeRoles(input)).toEqual(expected);
  });
});

describe("newUser", () => {
  it("creates a GUEST with a trimmed email and name, stamped now", () => {
    const u = newUser({ email: " Jane@Example.com ", displayName: " Jane " }, t0);
    expect(u).toEqual({
      email: "Jane@Example.com",
      displayName: "Jane",
      phone: "",
      locale: "",
      roles: ["GUEST"],
      createdAt: t0,
      updatedAt: t0,
    });
  });

  it("refuses a blank display name", () => {
    const err = thrown(() => newUser({ email: "a@b.co", displayName: "  " }, t0));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations?.[0].field).toBe("display_name");
  });
});

describe("applyProfilePatch", () => {
  it("applies only the non-empty fields when there is no mask", () => {
    const u = applyProfilePatch(jane, { displayName: "Janet", phone: "" }, undefined, t1);
    expect(u).toEqual({ ...jane, displayName: "Janet", updatedAt: t1 });
  });

  it("treats an empty mask like no mask", () => {
    expect(applyProfilePatch(jane, { locale: "en-GB" }, [], t1)).toEqual({ ...jane, locale: "en-GB", updatedAt: t1 });
  });

  it("sets exactly the masked fields, so an empty value clears them", () => {
    const u = applyProfilePatch(jane, { displayName: "Ignored", phone: "" }, ["phone"], t1);
    expect(u).toEqual({ ...jane, phone: "", updatedAt: t1 });
  });

  it("replaces every settable field with the wildcard mask", () => {
    const u = applyProfilePatch(jane, { displayName: "J" }, ["*"], t1);
    expect(u).toEqual({ ...jane, displayName: "J", phone: "", locale: "", updatedAt: t1 });
  });

  it("keeps updatedAt when nothing changes", () => {
    expect(applyProfilePatch(jane, { displayName: "Jane" }, undefined, t1)).toBe(jane);
  });

  it.each(["email", "roles", "user_id", "displayName", "create_time"])(
    "rejects the mask path %j with a field violation",
    (path) => {
      const err = thrown(() => applyProfilePatch(jane, {}, ["phone", path], t1));
      expect(err.kind).toBe("invalid");
      expect(err.details.violations).toEqual([
        { field: "update_mask.paths[1]", description: "only display_name, phone, locale may be updated" },
      ]);
    },
  );

  it("rejects clearing the display name through the mask", () => {
    const err = thrown(() => applyProfilePatch(jane, { displayName: " " }, ["display_name"], t1));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations?.[0].field).toBe("user.display_name");
  });
});
