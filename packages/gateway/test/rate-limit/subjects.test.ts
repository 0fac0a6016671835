import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addressSubject, presentedApiKey, subjectsOf } from "../../src/rate-limit/subjects.js";

describe("addressSubject", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("counts %s as %s", (address, subject) => {
    expect(addressSubject(address)).toBe(subject);
  });
});

describe("presentedApiKey", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("reads X-Api-Key, or a bearer value that is not a JWT", () => {
    expect(presentedApiKey(h({ "x-api-key": " thk_abc " }))).toBe("thk_abc");
    expect(presentedApiKey(h({ authorization: "Bearer thk_abc" }))).toBe("thk_abc");
    expect(presentedApiKey(h({ authorization: "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" }))).toBeUndefined();
    expect(presentedApiKey(h({ authorization: "Basic dXNlcjpwYXNz" }))).toBeUndefined();
    expect(presentedApiKey(h({}))).toBeUndefined();
  });
});

describe("subjectsOf", () => {
  it("counts the address always, the verified user and the key by its SHA-256 when there are any", () => {
    const key = "thk_live_secret";
    expect(subjectsOf({ address: "10.1.1.1", userId: "u1", headers: new Headers({ "x-api-key": key }) })).toEqual([
      { kind: "ip", id: "10.1.1.1" },
      { kind: "user", id: "u1" },
      { kind: "key", id: createHash("sha256").update(key).digest("hex") },
    ]);
    expect(subjectsOf({ address: "10.1.1.1", headers: new Headers() })).toEqual([{ kind: "ip", id: "10.1.1.1" }]);
  });
});
