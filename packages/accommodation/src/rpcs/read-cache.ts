import { create, type DescMessage, type DescService, fromBinary, type MessageShape, toBinary, toJsonString } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import {
  GetAccommodationRequestSchema,
  GetAccommodationResponseSchema,
  SearchAccommodationsRequestSchema,
  SearchAccommodationsResponseSchema,
} from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { type Cache, type CacheCodec, DomainError, identityKey, markUnchanging } from "@triphub/platform";

type Impl = Partial<ServiceImpl<typeof AccommodationService>>;

// The same ages the gateway advertises to HTTP caches for these RPCs (the proto's edge option).
const SEARCH_TTL_MS = 30_000;
const DETAILS_TTL_MS = 60_000;

/**
 * The unary methods of `service` that change nothing (local names), as the contract declares
 * them: `option idempotency_level = NO_SIDE_EFFECTS`. The read cache passes them through; every
 * other unary method is a write and drops cached entries. Read from the proto rather than
 * listed here, so a new read cannot be forgotten into a write that flushes on every call.
 */
export function readMethods(service: DescService): ReadonlySet<string> {
  return new Set(
    service.methods.filter((m) => m.methodKind === "unary" && m.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS).map((m) => m.localName),
  );
}

const READS = readMethods(AccommodationService);
// Streams (StreamEvents) read and change nothing the cache holds.
const isUnary = (name: string) => AccommodationService.methods.find((m) => m.localName === name)?.methodKind === "unary";

// Responses are kept as messages in this instance (a hit costs nothing to decode; handlers
// never change a response after returning it, so the chassis may encode each once:
// markUnchanging) and as binary protobuf in Redis.
function protoCodec<Desc extends DescMessage>(schema: Desc): CacheCodec<MessageShape<Desc>> {
  return {
    encode: (m) => {
      const b = toBinary(schema, m);
      return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
    },
    decode: (t) => fromBinary(schema, new Uint8Array(Buffer.from(t, "base64"))),
  };
}
const SEARCH_CODEC = protoCodec(SearchAccommodationsResponseSchema);
const DETAILS_CODEC = protoCodec(GetAccommodationResponseSchema);

const isNotFound = (e: unknown) =>
  (e instanceof DomainError && e.kind === "not_found") || (e instanceof ConnectError && e.code === Code.NotFound);

/**
 * Drops what the read cache holds that changes with these properties: their details, and every
 * search page (nothing knows which pages a property appeared on). Undefined: every property.
 */
export function forgetProperties(cache: Cache, propertyIds: readonly string[] | undefined): Promise<void> {
  const details = propertyIds === undefined ? ["property:*"] : [...new Set(propertyIds)].map((id) => `property:${id}:*`);
  return cache.invalidate(...details, "search:*");
}

/**
 * The property a write request or its response is about: a `propertyId`, or the one inside its
 * property, room type or hold. Every write RPC of the service names it in one of these places.
 */
function propertyOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as Record<string, unknown>;
  for (const holder of [m, m.property, m.roomType, m.hold]) {
    const id = typeof holder === "object" && holder !== null ? (holder as Record<string, unknown>).propertyId : undefined;
    if (typeof id === "string" && id !== "") return id;
  }
  return undefined;
}

/** Options of {@link withReadCache}. */
export interface ReadCacheOptions {
  /**
   * How long a search page is served from cache, read at each search (the live setting
   * `search_cache_ttl_seconds`); 0 searches the database every time. Undefined: 30 s.
   */
  searchTtlMs?: () => number | undefined;
}

/**
 * Caches the two public reads (search pages and accommodation details) and forgets them on
 * every successful write: the details of the property written (all of them when a write names
 * none), and every search page, since nothing knows which pages a property appeared on. So a
 * change, including a hold that takes the last room, is visible on the next read, here and on
 * every other instance, while other properties' details stay cached. Only what an anonymous
 * caller may see is ever cached, so a draft never leaks from the cache to another user.
 */
export function withReadCache(impl: Impl, cache: Cache, opts: ReadCacheOptions = {}): Impl {
  const anonymous = (ctx: HandlerContext): HandlerContext => {
    const values = ctx.values;
    return { ...ctx, values: { ...values, get: (key) => (key.id === identityKey.id ? undefined : values.get(key)) } as typeof values };
  };
  const cached: Impl = {
    async searchAccommodations(req, ctx) {
      const ttlMs = opts.searchTtlMs?.() ?? SEARCH_TTL_MS;
      if (ttlMs <= 0) return impl.searchAccommodations!(req, ctx);
      const key = `search:${toJsonString(SearchAccommodationsRequestSchema, create(SearchAccommodationsRequestSchema, req))}`;
      return markUnchanging(
        await cache.wrap(key, ttlMs, async () => create(SearchAccommodationsResponseSchema, await impl.searchAccommodations!(req, ctx)), SEARCH_CODEC),
      );
    },
    async getAccommodation(req, ctx) {
      const key = `property:${req.propertyId}:${toJsonString(GetAccommodationRequestSchema, create(GetAccommodationRequestSchema, req))}`;
      try {
        return markUnchanging(
          await cache.wrap(key, DETAILS_TTL_MS, async () => create(GetAccommodationResponseSchema, await impl.getAccommodation!(req, anonymous(ctx))), DETAILS_CODEC),
        );
      } catch (e) {
        // Not public: its owner or an admin may still see it, uncached.
        if (isNotFound(e) && ctx.values.get(identityKey)) return impl.getAccommodation!(req, ctx);
        throw e;
      }
    },
  };
  const out: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(impl)) {
    if (name in cached) out[name] = cached[name as keyof Impl];
    else if (READS.has(name) || !isUnary(name) || typeof handler !== "function") out[name] = handler;
    else {
      const write = handler as (...args: unknown[]) => Promise<unknown>;
      out[name] = async (...args: unknown[]) => {
        const res = await write(...args);
        const id = propertyOf(args[0]) ?? propertyOf(res);
        await forgetProperties(cache, id === undefined ? undefined : [id]);
        return res;
      };
    }
  }
  return out as Impl;
}
