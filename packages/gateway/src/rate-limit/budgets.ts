import { type EnvVar, InvalidValue } from "@triphub/platform";

/** Who a budget counts: the client's address, the verified user, or the presented API key. */
export type SubjectKind = "ip" | "user" | "key";

/** Routes that share budgets: the costly ones each have their own, everything else `default`. */
export type RouteClass = "default" | "search" | "booking" | "login";

export const SUBJECT_KINDS: readonly SubjectKind[] = ["ip", "user", "key"];
export const ROUTE_CLASSES: readonly RouteClass[] = ["default", "search", "booking", "login"];

/** At most `limit` requests per `periodMs`, of which all may come at once (a burst of `limit`). */
export interface Budget {
  limit: number;
  periodMs: number;
}

/** Every budget by route class and subject kind; a missing one means that kind is not limited there. */
export type Budgets = Record<RouteClass, Partial<Record<SubjectKind, Budget>>>;

const S = 1000;
const M = 60 * S;

/**
 * The budgets without configuration. Generous enough for one person clicking through the app
 * from a shared address; the costly routes much tighter. A login route is called before there
 * is a user, so only its address and key are counted; its address budget stays above auth's
 * own lock after 20 failed logins per address, so that lock (with its long Retry-After) is
 * what a password sprayer meets, and this budget bounds the password hashing of everything else.
 */
export const DEFAULT_BUDGETS: Budgets = {
  default: { ip: { limit: 600, periodMs: M }, user: { limit: 600, periodMs: M }, key: { limit: 1200, periodMs: M } },
  search: { ip: { limit: 60, periodMs: M }, user: { limit: 60, periodMs: M }, key: { limit: 300, periodMs: M } },
  booking: { ip: { limit: 20, periodMs: M }, user: { limit: 10, periodMs: M }, key: { limit: 60, periodMs: M } },
  login: { ip: { limit: 30, periodMs: M }, key: { limit: 60, periodMs: M } },
};

const UNITS: Record<string, number> = { s: S, m: M, h: 60 * M, d: 24 * 60 * M };
const ENTRY = /^([a-z]+)\.([a-z]+)=(?:(none)|(\d+)\/(\d*)([smhd]))$/;
const MAX_PERIOD_MS = 7 * UNITS.d!;

/**
 * `off`, or budgets that replace the defaults one at a time, separated by commas:
 * `<class>.<subject>=<count>/<period>` with class default|search|booking|login, subject
 * ip|user|key, period `s`, `m`, `h`, `d` with an optional multiple (`10s`, `15m`), or
 * `<class>.<subject>=none` for no limit. E.g. `search.ip=30/m, login.ip=5/10m, default.key=none`.
 * Returns undefined for `off`.
 */
export function parseRateLimits(raw: string): Budgets | undefined {
  const text = raw.trim();
  if (text === "off") return undefined;
  const budgets: Budgets = structuredClone(DEFAULT_BUDGETS);
  const seen = new Set<string>();
  for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = ENTRY.exec(entry);
    if (!m) throw new InvalidValue(`has a malformed entry "${entry}"`);
    const [, cls, kind, none, count, multiple, unit] = m;
    if (!ROUTE_CLASSES.includes(cls as RouteClass)) throw new InvalidValue(`names an unknown route class "${cls}" (known: ${ROUTE_CLASSES.join(", ")})`);
    if (!SUBJECT_KINDS.includes(kind as SubjectKind)) throw new InvalidValue(`names an unknown subject "${kind}" (known: ${SUBJECT_KINDS.join(", ")})`);
    if (seen.has(`${cls}.${kind}`)) throw new InvalidValue(`sets ${cls}.${kind} twice`);
    seen.add(`${cls}.${kind}`);
    const limits = budgets[cls as RouteClass];
    if (none) {
      delete limits[kind as SubjectKind];
      continue;
    }
    const limit = Number(count);
    const periodMs = (multiple ? Number(multiple) : 1) * UNITS[unit!]!;
    if (limit < 1 || limit > 1_000_000) throw new InvalidValue(`"${entry}": the count must be from 1 to 1000000`);
    if (periodMs < S || periodMs > MAX_PERIOD_MS) throw new InvalidValue(`"${entry}": the period must be from 1s to 7d`);
    limits[kind as SubjectKind] = { limit, periodMs };
  }
  return budgets;
}

/** The RATE_LIMITS variable: see {@link parseRateLimits}; unset or empty keeps the defaults. */
export const rateLimitsVar: EnvVar<Budgets | undefined> = {
  expect: "off, or comma-separated <class>.<subject>=<count>/<period> (e.g. search.ip=30/m, login.ip=5/10m, default.key=none)",
  parse: (raw) => parseRateLimits(raw ?? ""),
};
