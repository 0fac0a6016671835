import { type Clock, createPeriodicJob, DomainError, drainInBatches, type Logger } from "@triphub/platform";
import type { PaymentOperations } from "../payment-operations.js";
import type { PaymentStore } from "../store/payment-store.js";

// Authorizations looked at per query: short queries, few round trips.
const BATCH = 100;

/** Options for {@link createAuthorizationExpirer}. */
export interface AuthorizationExpirerOptions {
  payments: PaymentStore;
  operations: PaymentOperations;
  now: Clock;
  log: Logger;
  intervalMs: number;
}

/** Lapses uncaptured authorizations in the background; see {@link createAuthorizationExpirer}. */
export interface AuthorizationExpirer {
  /** Expires every authorization lapsed at `now()`, batch by batch; resolves to how many. */
  sweep(): Promise<number>;
  /** Sweeps every `intervalMs` until stopped. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer and waits for a sweep in progress, so the pool can close after. */
  stop(): Promise<void>;
}

/**
 * The expiry sweeper of the booking saga: an authorization nobody captured within its validity
 * (a saga that died between authorizing and capturing) becomes EXPIRED and is voided at the
 * provider, so the guest's card is freed. Several instances may sweep at once: the decider
 * makes a second Expire of a payment a no-op, and a payment captured in between is skipped.
 */
export function createAuthorizationExpirer(opts: AuthorizationExpirerOptions): AuthorizationExpirer {
  async function sweep(): Promise<number> {
    const expired = await drainInBatches(async (limit) => {
      const ids = await opts.payments.lapsedAuthorizations(opts.now(), limit);
      let done = 0;
      for (const paymentId of ids) {
        try {
          if ((await opts.operations.expire(paymentId)).expired) done++;
        } catch (err) {
          // Captured or voided meanwhile is no fault; anything else waits for the next tick.
          if (err instanceof DomainError && err.kind === "precondition") continue;
          opts.log.warn({ err, paymentId }, "could not expire a lapsed authorization");
        }
      }
      // A batch with failures ends the drain, so one stuck payment cannot spin it.
      return done === ids.length ? ids.length : Math.min(done, limit - 1);
    }, BATCH);
    if (expired > 0) opts.log.info({ expired }, "expired lapsed authorizations");
    return expired;
  }

  return { sweep, ...createPeriodicJob({ name: "authorization expiry", intervalMs: opts.intervalMs, log: opts.log, run: sweep }) };
}
