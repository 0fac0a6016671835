import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import type { SubjectKind } from "./budgets.js";

/** One party a request is counted against: its kind and an id that is safe to store. */
export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** What the gateway knows of a request's caller when it counts it. */
export interface Caller {
  /** The client's address (client-address.ts). */
  address: string;
  /** The verified user, when a credential was verified. */
  userId?: string;
  headers: Headers;
}

// A JWT in compact form: three base64url segments. Any other bearer value is taken for an API
// key, whatever its prefix, so this code holds whichever format the keys end up with.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The API key a request presents (`X-Api-Key`, or a bearer value that is not a JWT), or
 * undefined. Presented, not verified: counting an unverified key costs a forger nothing,
 * because every request is also counted against its address.
 */
export function presentedApiKey(headers: Headers): string | undefined {
  const header = headers.get("x-api-key")?.trim();
  if (header) return header;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
  return bearer && !JWT.test(bearer) ? bearer : undefined;
}

/**
 * The address as counted: IPv4 as is (also when mapped into IPv6), IPv6 by its /64 prefix,
 * since one subscriber usually gets a whole /64 and could otherwise take a new budget per
 * address.
 */
export function addressSubject(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * Everyone a request is counted against: always its address; its user when verified; its API
 * key when one is presented, by a SHA-256 of the key (the key itself is a secret and is never
 * stored or logged).
 */
export function subjectsOf(caller: Caller): Subject[] {
  const subjects: Subject[] = [{ kind: "ip", id: addressSubject(caller.address) }];
  if (caller.userId) subjects.push({ kind: "user", id: caller.userId });
  const key = presentedApiKey(caller.headers);
  if (key) subjects.push({ kind: "key", id: createHash("sha256").update(key).digest("hex") });
  return subjects;
}
