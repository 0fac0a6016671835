// Service addresses as operators write them (fixed URLs, registry:///, dns:///), and the DNS
// resolver behind dns:/// that a cluster's headless Service answers.
import { describe, expect, it } from "vitest";
import { dnsResolver, InvalidServiceAddress, loadConfig, env, parseServiceAddress, type ServiceInstance } from "../src/index.js";

describe("parseServiceAddress", () => {
  it("reads fixed URLs, a registry name and a DNS name with its port", () => {
    expect(parseServiceAddress("http://a:7102, https://b:7102")).toEqual({ kind: "urls", urls: ["http://a:7102", "https://b:7102"] });
    expect(parseServiceAddress("http://a:1|http://b:2", "|")).toEqual({ kind: "urls", urls: ["http://a:1", "http://b:2"] });
    expect(parseServiceAddress("registry:///accommodation")).toEqual({ kind: "registry", service: "accommodation" });
    expect(parseServiceAddress("dns:///accommodation.triphub.svc.cluster.local:7102")).toEqual({
      kind: "dns",
      host: "accommodation.triphub.svc.cluster.local",
      port: 7102,
    });
    expect(parseServiceAddress("dns:///[::1]:7102")).toEqual({ kind: "dns", host: "::1", port: 7102 });
  });

  it("refuses what it cannot call, saying what it accepts", () => {
    for (const bad of ["registry://accommodation", "registry:///Accommodation", "dns:///accommodation", "dns:///a:70000", "ftp://a", "a:7102", ""]) {
      expect(() => parseServiceAddress(bad), bad).toThrow(InvalidServiceAddress);
    }
  });

  it("is what env.serviceUrl accepts, and a bad one is a configuration error naming the variable", () => {
    const spec = { PAYMENT_URL: env.serviceUrl() };
    expect(loadConfig(spec, { PAYMENT_URL: "registry:///payment" }).PAYMENT_URL).toBe("registry:///payment");
    expect(loadConfig(spec, { PAYMENT_URL: "http://a:1 , http://b:2" }).PAYMENT_URL).toBe("http://a:1,http://b:2");
    expect(() => loadConfig(spec, { PAYMENT_URL: "registry://payment" })).toThrow(/PAYMENT_URL/);
  });
});

describe("dnsResolver", () => {
  /** Collects what the resolver hands on for `target`, with `answers` as the DNS's successive answers. */
  function follow(target: string, answers: (string[] | Error)[]) {
    const seen: (readonly ServiceInstance[])[] = [];
    let n = 0;
    const resolver = dnsResolver({
      refreshMs: 20,
      lookupAll: async () => {
        const answer = answers[Math.min(n++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    const stop = resolver.watch(target, (list) => seen.push(list));
    return { seen, stop, lookups: () => n, resolver };
  }

  it("lists one instance per address the name resolves to, and follows changes", async () => {
    const f = follow("accommodation.triphub.svc:7102", [["10.0.0.6", "10.0.0.5"], ["10.0.0.6", "10.0.0.5"], ["10.0.0.5", "10.0.0.7", "fd00::1"]]);
    await new Promise((r) => setTimeout(r, 150));
    f.stop();
    expect(f.seen.map((l) => l.map((i) => i.url))).toEqual([
      ["http://10.0.0.5:7102", "http://10.0.0.6:7102"],
      ["http://10.0.0.5:7102", "http://10.0.0.7:7102", "http://[fd00::1]:7102"],
    ]);
  });

  it("keeps the last list while lookups fail, and stops looking up once unsubscribed", async () => {
    const f = follow("review:7105", [["10.0.0.9"], new Error("SERVFAIL")]);
    await new Promise((r) => setTimeout(r, 120));
    expect(f.seen.map((l) => l.map((i) => i.id))).toEqual([["10.0.0.9:7105"]]);
    await f.resolver.close();
    const after = f.lookups();
    await new Promise((r) => setTimeout(r, 80));
    expect(f.lookups()).toBe(after);
  });

  it("resolves a real name through the system's resolver", async () => {
    const seen: (readonly ServiceInstance[])[] = [];
    const resolver = dnsResolver();
    const stop = resolver.watch("localhost:7102", (list) => seen.push(list));
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(seen[0]?.map((i) => i.url)).toContain("http://127.0.0.1:7102");
  });
});
