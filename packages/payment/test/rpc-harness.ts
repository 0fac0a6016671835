// The service over real gRPC on a fresh database, with the real auth service beside it for
// users' and services' tokens: what production runs, on loopback. The only stand-in is the
// payment provider, the third-party edge: the sandbox, wrapped to count (and slow) its calls.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Client, ConnectError } from "@connectrpc/connect";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { DomainError } from "@triphub/platform/domain-error";
import type { Database } from "@triphub/platform";
import { clientAs, type StackUser, serviceDeps, startAuth } from "@triphub/test-stack";
import { rejectionOf, type RunningService, serve, type TestClock, testClock } from "@triphub/testkit";
import { buildServer, createSandboxProvider, MIGRATIONS_FOLDER, type PaymentProvider } from "../src/index.js";


type Api = Client<typeof PaymentService>;

/** A signed-in user: their id and a client of the service carrying their token. */
export interface TestUser {
  userId: string;
  api: Api;
}

/** How many times each provider method was called. */
export type ProviderCalls = Record<keyof PaymentProvider, number>;

/** Faults a test switches on at the provider edge. */
export interface ProviderFaults {
  /** The next capture is made at the provider, but its answer is lost (the caller sees an outage). */
  loseNextCaptureAnswer: boolean;
}

/**
 * The sandbox provider, counting its calls; `delayMs` makes each call take that long (to let
 * duplicates overlap); `faults` are read at each call.
 */
export function countingProvider(delayMs = 0, faults: ProviderFaults = { loseNextCaptureAnswer: false }): { provider: PaymentProvider; calls: ProviderCalls } {
  const inner = createSandboxProvider(randomUUID);
  const calls: ProviderCalls = { authorize: 0, capture: 0, void: 0, refund: 0 };
  const loseAnswer = async <T>(answer: Promise<T>): Promise<T> => {
    const value = await answer;
    if (!faults.loseNextCaptureAnswer) return value;
    faults.loseNextCaptureAnswer = false;
    throw new DomainError("unavailable", "the payment provider did not answer", { reason: "PROVIDER_UNAVAILABLE" });
  };
  const slow = async <T>(name: keyof PaymentProvider, call: () => Promise<T>) => {
    calls[name]++;
    if (delayMs > 0) await sleep(delayMs);
    return call();
  };
  return {
    calls,
    provider: {
      authorize: (token, amount) => slow("authorize", () => inner.authorize(token, amount)),
      capture: (ref, amount) => slow("capture", () => loseAnswer(inner.capture(ref, amount))),
      void: (ref) => slow("void", () => inner.void(ref)),
      refund: (ref, amount, key) => slow("refund", () => inner.refund(ref, amount, key)),
    },
  };
}

/** Auth and the service, started together; `close` stops both. */
export interface Platform {
  service: RunningService;
  /** The one clock of auth, the service and the token verifiers. */
  clock: TestClock;
  /** The service's own database (for the read-model rebuild test). */
  database: Database;
  /** The provider's call counts. */
  calls: ProviderCalls;
  /** Faults to switch on at the provider. */
  faults: ProviderFaults;
  /** A client calling as the reservation service (its service token): how the booking saga calls. */
  internal: Api;
  /** A client calling as another service `name`. */
  asService(name: string): Api;
  /** The bootstrap ADMIN. */
  admin: TestUser;
  /** A new GUEST account, signed in. */
  user(): Promise<TestUser>;
  close(): Promise<void>;
}

/** Options of {@link startPlatform}. */
export interface PlatformOptions {
  /** How long each provider call takes. */
  providerDelayMs?: number;
  authorizationValidityMs?: number;
  /** The expirer's period; long by default, so tests sweep by hand. */
  expiryIntervalMs?: number;
}

/** Starts auth and the service on fresh databases named after the test file (`name`). */
export async function startPlatform(name: string, opts: PlatformOptions = {}): Promise<Platform> {
  const clock = testClock();
  const auth = await startAuth({ name, clock });
  const deps = await serviceDeps(auth, { service: "payment", migrationsFolder: MIGRATIONS_FOLDER, maxConnections: 8 });
  const faults: ProviderFaults = { loseNextCaptureAnswer: false };
  const { provider, calls } = countingProvider(opts.providerDelayMs, faults);
  const service = await serve(
    await buildServer({
      ...deps,
      config: {
        ...deps.config,
        AUTHORIZATION_VALIDITY_MS: opts.authorizationValidityMs,
        AUTHORIZATION_EXPIRY_INTERVAL_MS: opts.expiryIntervalMs ?? 3_600_000,
      },
      provider,
    }),
  );
  const asUser = (user: StackUser): TestUser => ({ userId: user.userId, api: clientAs(service, PaymentService, user) });
  const asService = (serviceName: string) => clientAs(service, PaymentService, auth.asService(serviceName));

  return {
    service,
    clock,
    database: deps.database,
    calls,
    faults,
    internal: asService("reservation"),
    asService,
    admin: asUser(auth.admin),
    user: async () => asUser(await auth.signUp()),
    async close() {
      await service.close();
      await auth.close();
    },
  };
}

/** The ConnectError a call fails with (fails the test if it succeeds). */
export const rpcError = (call: Promise<unknown>): Promise<ConnectError> => rejectionOf(call, ConnectError);

/** An AuthorizePayment request of `amount` KRW for a new reservation by `payerId`. */
export const authorizeRequest = (payerId: string, token = "tok_visa", amount = 150_000n) => ({
  reservationId: randomUUID(),
  payerId,
  amount: { amountMinor: amount, currencyCode: "KRW" },
  paymentMethodToken: token,
  description: "Bukchon Hanok Stay",
});

/** A KRW amount. */
export const krw = (amountMinor: bigint) => ({ amountMinor, currencyCode: "KRW" });
