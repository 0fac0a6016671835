import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { requestHeaders } from "../../src/transcoder/request-headers.js";

// Node's header object as the HTTP parser leaves it, and the Headers built from it eagerly.
const node = (): IncomingHttpHeaders => ({
  host: "gw.test",
  authorization: "Bearer abc",
  "accept-language": "de, en;q=0.5",
  "set-cookie": ["a=1", "b=2"],
  "x-empty": "",
});
const eager = (n: IncomingHttpHeaders) => {
  const h = new Headers();
  for (const [k, v] of Object.entries(n)) for (const one of Array.isArray(v) ? v : [v ?? ""]) h.append(k, one);
  return h;
};

describe("requestHeaders", () => {
  it("is Headers", () => {
    expect(requestHeaders(node())).toBeInstanceOf(Headers);
  });

  it.each(["host", "Authorization", "ACCEPT-LANGUAGE", "set-cookie", "x-empty", "missing", "constructor", "__proto__", "toString"])(
    "answers get and has for %s as eager Headers do",
    (name) => {
      expect(requestHeaders(node()).get(name)).toBe(eager(node()).get(name));
      expect(requestHeaders(node()).has(name)).toBe(eager(node()).has(name));
    },
  );

  it("throws for an invalid header name as Headers does", () => {
    expect(() => requestHeaders(node()).get("bad name")).toThrow(TypeError);
  });

  it("iterates, and is changed, as eager Headers are", () => {
    expect([...requestHeaders(node())]).toEqual([...eager(node())]);
    expect(requestHeaders(node()).getSetCookie()).toEqual(["a=1", "b=2"]);
    const h = requestHeaders(node());
    h.set("host", "other");
    h.delete("authorization");
    h.append("x-new", "1");
    expect(h.get("host")).toBe("other");
    expect(h.get("authorization")).toBeNull();
    expect(Object.fromEntries(h)).toMatchObject({ host: "other", "x-new": "1" });
    expect(new Headers(requestHeaders(node())).get("authorization")).toBe("Bearer abc");
  });
});
