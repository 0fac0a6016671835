// `npm start` with two accommodation processes (DEVSTACK_REPLICAS): the gateway and every caller
// balance over both, and a SIGKILL of one under a steady load of searches fails no read; the
// devstack restarts it and it serves again.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReplicas } from "../src/services.js";
import { pidOnPort, type RunningDevstack, startDevstack } from "./running-devstack.js";

let stack: RunningDevstack;
beforeAll(async () => {
  // Without the edge cache and rate limits every search reaches an accommodation process.
  stack = await startDevstack({ properties: 20, env: { DEVSTACK_REPLICAS: "accommodation=2", RATE_LIMITS: "off", EDGE_CACHE_TTL_MS: "0" } });
}, 180_000);
afterAll(() => stack?.stop(), 30_000);

describe("replicas", () => {
  it("reads a count per service and refuses what cannot be replicated", () => {
    expect([...parseReplicas("accommodation=2, review=3")]).toEqual([
      ["accommodation", 2],
      ["review", 3],
    ]);
    expect(() => parseReplicas("auth=2")).toThrow(/auth=2/);
    expect(() => parseReplicas("accommodation=9")).toThrow(/1-5/);
  });

  it("loses no search when one of two accommodation processes is SIGKILLed, and the restarted one serves again", { timeout: 200_000 }, async () => {
    const search = `${stack.gatewayUrl}/api/v1/accommodations:search?destination=Seoul&adults=2&pageSize=5`;
    const second = 7112 + stack.offset;
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const loop = async () => {
      while (running) {
        const res = await fetch(search).catch((e: Error) => ({ status: 0, statusText: e.message, text: async () => "" }));
        if (res.status === 200) ok++;
        else failures.push(`${res.status} ${await res.text()}`);
        if ("arrayBuffer" in res) await res.arrayBuffer().catch(() => undefined);
      }
    };
    const loops = Array.from({ length: 6 }, loop);
    await new Promise((r) => setTimeout(r, 3_000));
    process.kill(await pidOnPort(second, "accommodation/src/main.ts"), "SIGKILL");
    await new Promise((r) => setTimeout(r, 5_000));
    running = false;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);

    // The devstack restarts it; the gateway sends it searches again once its ejection (5 s,
    // doubling while it keeps failing) is over.
    await expect.poll(() => stack.output(), { timeout: 60_000, interval: 500 }).toMatch(/accommodation-2 is back/);
    const served = async () => (await readFile(`${stack.dataDir}/logs/accommodation-2.log`, "utf8")).split("SearchAccommodations").length;
    const before = await served();
    await expect
      .poll(
        async () => {
          await Promise.all(Array.from({ length: 10 }, () => fetch(search).then((r) => r.arrayBuffer())));
          return served();
        },
        { timeout: 90_000, interval: 1_000 },
      )
      .toBeGreaterThan(before);
  });
});
