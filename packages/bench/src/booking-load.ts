// Bookings through the gateway's REST API (POST /api/v1/reservations, keep-alive HTTP/1.1 with
// fetch), closed loop: each of `concurrency` workers sends its next booking when the last one
// is answered. What an answer says is kept as an outcome (CONFIRMED, FAILED and why, still in
// progress, an HTTP error), with its latency.
import { randomUUID } from "node:crypto";
import type { BookableRoomType, SignedIn } from "./booking-platform.js";

/** One booking to send. */
export interface BookingRequest {
  guest: SignedIn;
  roomType: BookableRoomType;
  checkIn: string;
  checkOut: string;
}

/** What the answer to one booking said: `confirmed`, `pending` (the saga was still running), or why it did not book. */
export interface Answer {
  outcome: string;
  ms: number;
  /** When it was answered, ms since the run started. */
  at: number;
  /** Set for `pending`: what to ask about later. */
  reservationId?: string;
  guest?: SignedIn;
}

const IN_PROGRESS = new Set(["RESERVATION_STATUS_REQUESTED", "RESERVATION_STATUS_ROOMS_HELD", "RESERVATION_STATUS_PAYMENT_AUTHORIZED"]);
const REQUEST_TIMEOUT_MS = 30_000;
const short = (s: string) => s.replace(/^(RESERVATION_STATUS_|FAILURE_REASON_)/, "");

/** The outcome a reservation's JSON (the gateway's answer) stands for. */
export function outcomeOf(reservation: { status?: string; failureReason?: string }): string {
  const status = reservation.status ?? "";
  if (status === "RESERVATION_STATUS_CONFIRMED") return "confirmed";
  if (IN_PROGRESS.has(status)) return "pending";
  if (status === "RESERVATION_STATUS_FAILED") return `FAILED ${short(reservation.failureReason ?? "no reason")}`;
  return short(status || "no status");
}

/** Sends one booking with a fresh Idempotency-Key and tells what came of it. */
export async function book(gatewayUrl: string, r: BookingRequest, startedAt: number): Promise<Answer> {
  const t0 = performance.now();
  const answer = (outcome: string, extra: Partial<Answer> = {}): Answer => {
    const t = performance.now();
    return { outcome, ms: t - t0, at: t - startedAt, ...extra };
  };
  try {
    const res = await fetch(`${gatewayUrl}/api/v1/reservations`, {
      method: "POST",
      headers: { authorization: `Bearer ${r.guest.token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
      body: JSON.stringify({
        ...r.roomType,
        checkIn: r.checkIn,
        checkOut: r.checkOut,
        guests: { adults: 1 },
        units: 1,
        contact: { fullName: "Bench Guest", email: "guest@bench.triphub.test" },
        paymentMethodToken: "tok_visa",
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as { reservationId?: string; status?: string; failureReason?: string; code?: string | number };
    if (!res.ok) return answer(`HTTP ${res.status} ${body.code ?? ""}`.trim());
    const outcome = outcomeOf(body);
    return outcome === "pending" ? answer(outcome, { reservationId: body.reservationId, guest: r.guest }) : answer(outcome);
  } catch (e) {
    return answer(`error ${e instanceof Error ? e.name : String(e)}`);
  }
}

/**
 * Closed loop for `seconds`: `concurrency` workers, each sending `next()` until the time is up
 * or `next()` returns undefined (a worker that got its answer stops). Every answer is kept.
 */
export async function closedLoopBookings(
  gatewayUrl: string,
  next: (worker: number, last: Answer | undefined) => BookingRequest | undefined,
  opts: { concurrency: number; seconds: number },
): Promise<{ answers: Answer[]; seconds: number }> {
  const answers: Answer[] = [];
  const startedAt = performance.now();
  const deadline = startedAt + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async (_, w) => {
      let last: Answer | undefined;
      while (performance.now() < deadline) {
        const r = next(w, last);
        if (!r) return;
        last = await book(gatewayUrl, r, startedAt);
        answers.push(last);
      }
    }),
  );
  return { answers, seconds: (performance.now() - startedAt) / 1000 };
}

/**
 * Asks about every `pending` answer until its saga is over (GET /api/v1/reservations/{id}, up
 * to `ms`), and records the final outcome as `late <outcome>`.
 */
export async function settlePending(gatewayUrl: string, answers: Answer[], ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (const a of answers.filter((x) => x.outcome === "pending")) {
    for (;;) {
      const res = await fetch(`${gatewayUrl}/api/v1/reservations/${a.reservationId}`, { headers: { authorization: `Bearer ${a.guest!.token}` }, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      const outcome = res?.ok ? outcomeOf((await res.json()) as { status?: string; failureReason?: string }) : "pending";
      if (outcome !== "pending") {
        a.outcome = `late ${outcome}`;
        break;
      }
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Percentile `p` (0-100) of sorted `values`, NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Latency percentiles (ms) of some answers. */
export function latencies(answers: Answer[]): { n: number; p50: number; p99: number; p999: number; max: number } {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), p999: percentile(ms, 99.9), max: ms[ms.length - 1] ?? Number.NaN };
}

/** How many answers had each outcome, most frequent first. */
export function outcomeCounts(answers: Answer[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a.outcome, (counts.get(a.outcome) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** Whether an outcome is a confirmed booking (at once or once its saga ended). */
export const isConfirmed = (outcome: string) => outcome === "confirmed" || outcome === "late confirmed";
