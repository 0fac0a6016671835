// Which methods the read cache treats as reads comes from the contract (idempotency_level
// NO_SIDE_EFFECTS), so a new read never flushes the cache on every call.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { HandlerContext } from "@connectrpc/connect";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { type Cache, createCache, createLogger } from "@triphub/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMethods, withReadCache } from "../src/rpcs/read-cache.js";

const log = createLogger({ service: "read-cache-test", level: "silent" });
let cache: Cache;
beforeAll(async () => {
  cache = await createCache({ name: "read-cache-test", log, groups: ["search:"] });
});
afterAll(() => cache?.close());

/** A contract with a read nobody has listed anywhere, and a write. */
function serviceWithNewRead() {
  const empty = ".test.v1.Empty";
  const file = create(FileDescriptorProtoSchema, {
    name: "test/v1/new_read.proto",
    package: "test.v1",
    syntax: "proto3",
    messageType: [{ name: "Empty" }],
    service: [
      {
        name: "NewService",
        method: [
          { name: "GetBrandNewThing", inputType: empty, outputType: empty, options: { idempotencyLevel: MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS } },
          { name: "ChangeThing", inputType: empty, outputType: empty },
        ],
      },
    ],
  });
  return createFileRegistry(file, () => undefined).getService("test.v1.NewService")!;
}

/** Whether calling `name` through the read cache keeps a cached search page. */
async function keepsCachedPages(name: string): Promise<boolean> {
  let loads = 0;
  const load = async () => ++loads;
  await cache.wrap("search:sentinel", 60_000, load);
  const handler = async () => ({});
  const wrapped = withReadCache({ [name]: handler }, cache) as Record<string, (req: unknown, ctx: HandlerContext) => Promise<unknown>>;
  await wrapped[name]!({}, {} as HandlerContext);
  await cache.wrap("search:sentinel", 60_000, load);
  await cache.invalidate("search:*");
  return loads === 1;
}

describe("read cache", () => {
  it("takes a read declared in the contract for a read, with no list to update", () => {
    expect([...readMethods(serviceWithNewRead())]).toEqual(["getBrandNewThing"]);
  });

  it("keeps cached pages across every read of the contract and drops them on every other unary call", async () => {
    const reads = readMethods(AccommodationService);
    for (const m of AccommodationService.methods.filter((m) => m.methodKind === "unary")) {
      expect([m.localName, await keepsCachedPages(m.localName)]).toEqual([m.localName, reads.has(m.localName)]);
    }
  });

  it("reads are exactly the contract's Get, List and Search RPCs", () => {
    const byName = AccommodationService.methods.filter((m) => /^(Get|List|Search)[A-Z]/.test(m.name)).map((m) => m.localName);
    expect([...readMethods(AccommodationService)].sort()).toEqual(byName.sort());
    expect(byName).toContain("getHold");
  });

  it("serves a search page from cache for as long as the live setting says, and not at all at 0", async () => {
    let searches = 0;
    let ttlMs: number | undefined;
    const impl = { searchAccommodations: async () => ({ totalSize: ++searches }) };
    const wrapped = withReadCache(impl, cache, { searchTtlMs: () => ttlMs }) as unknown as {
      searchAccommodations: (req: unknown, ctx: HandlerContext) => Promise<{ totalSize: number }>;
    };
    const search = async () => (await wrapped.searchAccommodations({ destination: "Seoul" }, {} as HandlerContext)).totalSize;
    // Unset: the default (30 s), so the second search is the first one's page.
    expect([await search(), await search()]).toEqual([1, 1]);
    await cache.invalidate("search:*");
    // 0: every search reaches the handler.
    ttlMs = 0;
    expect([await search(), await search()]).toEqual([2, 3]);
    // A short one: cached, then searched again once it has passed.
    ttlMs = 2_000;
    expect([await search(), await search()]).toEqual([4, 4]);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await search()).toBe(5);
    await cache.invalidate("search:*");
  });
});
