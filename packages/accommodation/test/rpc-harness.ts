// The accommodation service over real gRPC on a fresh database, with the real auth service
// beside it for tokens: what production runs, on loopback.
import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import { type Client, type Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Amenity, PropertyType, type PropertySchema } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType, type RoomTypeSchema } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import type { Database } from "@triphub/platform";
import { clientAs, type StackUser, serviceDeps, startAuth } from "@triphub/test-stack";
import { rejectionOf, type RunningService, serve, type TestClock, type TestServiceIdentities, testClock } from "@triphub/testkit";
import { type AccommodationServerDeps, buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

/** A signed-in user of the test platform: their id and a client carrying their token. */
export interface TestUser {
  userId: string;
  token: string;
  refreshToken: string;
  api: Client<typeof AccommodationService>;
}

/** Auth and accommodation, started together; `close` stops both. */
export interface Platform {
  auth: RunningService;
  accommodation: RunningService;
  /** The one clock of auth, accommodation and the token verifiers: "today", hold expiry and token lifetimes. */
  clock: TestClock;
  /** A client calling as the reservation service (its service token): how the booking saga calls the hold RPCs. */
  internal: Client<typeof AccommodationService>;
  /** The service identities auth knows in this platform (for calls as another service). */
  identities: TestServiceIdentities;
  admin: TestUser;
  /** The accommodation service's own database: for what no RPC sets yet (rating summaries). */
  database: Database;
  /** The same user with a fresh access token (their session refreshed at the clock's time), e.g. after the clock jumps. */
  signInAgain(user: TestUser): Promise<TestUser>;
  /** A new account with the given roles (GUEST only when none). */
  user(roles?: Role[]): Promise<TestUser>;
  close(): Promise<void>;
}

/**
 * Starts auth and accommodation on fresh databases named after the test file; `extra`: a
 * stream standing in for review's StreamEvents.
 */
export async function startPlatform(name: string, extra: Pick<AccommodationServerDeps, "reviewEvents"> = {}): Promise<Platform> {
  const clock = testClock();
  const auth = await startAuth({ name, clock });
  // Search and hold tests run many calls at once.
  const deps = await serviceDeps(auth, { service: "accommodation", migrationsFolder: MIGRATIONS_FOLDER, database: name, maxConnections: 8 });
  const accommodation = await serve(await buildServer({ ...deps, ...extra, config: { ...deps.config, HOLD_SWEEP_INTERVAL_MS: 100 } }));
  const withApi = (user: StackUser): TestUser => ({ ...user, api: clientAs(accommodation, AccommodationService, user) });

  return {
    auth: auth.running,
    accommodation,
    clock,
    internal: clientAs(accommodation, AccommodationService, auth.asService("reservation")),
    identities: auth.identities,
    admin: withApi(auth.admin),
    database: deps.database,
    user: async (roles = []) => withApi(await auth.signUp(roles)),
    signInAgain: async (user) => withApi(await auth.signInAgain(user)),
    async close() {
      await accommodation.close();
      await auth.close();
    },
  };
}

/** A HOST account. */
export const host = (p: Platform) => p.user([Role.HOST]);

/** The ConnectError a call fails with (fails the test if it succeeds). */
export const rpcError = (call: Promise<unknown>): Promise<ConnectError> => rejectionOf(call, ConnectError);

/** The ErrorInfo reason and the BadRequest field names of an error. */
export function detailsOf(err: ConnectError): { code: Code; reason: string | undefined; fields: string[] } {
  return {
    code: err.code,
    reason: err.findDetails(ErrorInfoSchema)[0]?.reason,
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}

/** The plain-object form of a message, which spreads. */
type Init<D extends DescMessage> = Exclude<MessageInitShape<D>, Message>;

/** A complete property a host can publish once it has a room type. */
export function guesthouse(overrides: Init<typeof PropertySchema> = {}): Init<typeof PropertySchema> {
  return {
    name: "Bukchon Hanok Stay",
    description: "A quiet hanok near the palaces.",
    propertyType: PropertyType.HANOK,
    address: {
      line1: "37 Bukchon-ro 11-gil",
      city: "Seoul",
      region: "Seoul",
      postalCode: "03055",
      countryCode: "KR",
      location: { latitude: 37.5826, longitude: 126.9831 },
    },
    amenities: [Amenity.WIFI, Amenity.ONDOL],
    photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
    houseRules: ["No parties"],
    checkInTime: "15:00",
    checkOutTime: "11:00",
    timeZone: "Asia/Seoul",
    currencyCode: "KRW",
    cancellationPolicy: CancellationPolicy.MODERATE,
    ...overrides,
  };
}

/** A room type of `units` double rooms at 120,000 KRW a night. */
export function doubleRoom(units = 3, overrides: Init<typeof RoomTypeSchema> = {}): Init<typeof RoomTypeSchema> {
  return {
    name: "Ondol Double",
    maxAdults: 2,
    maxChildren: 1,
    beds: [{ type: BedType.FLOOR_MATTRESS, count: 2 }],
    unitCount: units,
    baseNightlyPrice: { amountMinor: 120_000n, currencyCode: "KRW" },
    ...overrides,
  };
}

/** A LISTED property of `owner` with one room type of `units` units. */
export async function listedProperty(owner: TestUser, units = 3) {
  const { property } = await owner.api.createProperty({ property: guesthouse() });
  const { roomType } = await owner.api.createRoomType({ propertyId: property!.propertyId, roomType: doubleRoom(units) });
  const published = await owner.api.publishProperty({ propertyId: property!.propertyId });
  return { property: published.property!, roomType: roomType! };
}
