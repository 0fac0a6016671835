import { describe, expect, it } from "vitest";
import { codeChallengeOf, decideOAuthSignIn, type EmailOwner } from "../src/domain/oauth-login.js";
import { newUser } from "../src/domain/user.js";

const owner = (hasPassword: boolean): EmailOwner => ({
  user: { ...newUser({ email: "jane@example.com", displayName: "Jane" }, new Date(0)), id: "owner-id" },
  hasPassword,
});

describe("decideOAuthSignIn", () => {
  it.each([
    ["a linked identity signs in, whatever its email now", { linkedUserId: "linked", email: "jane@example.com", emailVerified: false, emailOwner: owner(true) }, { kind: "sign_in", userId: "linked" }],
    ["a free email creates the account", { linkedUserId: undefined, email: "new@example.com", emailVerified: true, emailOwner: undefined }, { kind: "create" }],
    ["a free unverified email creates the account", { linkedUserId: undefined, email: "new@example.com", emailVerified: false, emailOwner: undefined }, { kind: "create" }],
    ["a verified email of a password account needs the password", { linkedUserId: undefined, email: "jane@example.com", emailVerified: true, emailOwner: owner(true) }, { kind: "link_required", userId: "owner-id" }],
    ["an unverified email of an account is refused", { linkedUserId: undefined, email: "jane@example.com", emailVerified: false, emailOwner: owner(true) }, { kind: "refuse", why: "email_unverified_taken" }],
    ["an email of a password-less account is refused", { linkedUserId: undefined, email: "jane@example.com", emailVerified: true, emailOwner: owner(false) }, { kind: "refuse", why: "email_taken_without_password" }],
    ["no email is refused", { linkedUserId: undefined, email: undefined, emailVerified: false, emailOwner: undefined }, { kind: "refuse", why: "no_email" }],
  ])("%s", (_name, input, decision) => {
    expect(decideOAuthSignIn(input)).toEqual(decision);
  });
});

describe("codeChallengeOf", () => {
  it("is the S256 challenge of RFC 7636's example verifier", () => {
    expect(codeChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});
