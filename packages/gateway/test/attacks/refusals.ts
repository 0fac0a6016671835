// What every refusal of the attack suite must look like: the right status and google.rpc.Status
// code, and a body that tells an attacker nothing about which check failed or what runs inside.
import type { Code } from "@connectrpc/connect";
import { expect } from "vitest";

// A stack frame, a source file, the token library's words, a claim's name, SQL or the driver's.
const LEAKS: [string, RegExp][] = [
  ["a stack trace", /\bat \S+ \(|\bat (?:async )?\/|\.[cm]?[jt]s:\d+/],
  ["the token library or a claim", /\bjwt|\bjws|\bjose|signature|\bkid\b|\balg\b|issuer|audience|\b(?:iss|aud|nbf|iat|exp|sid|sub)\b|claim|JWKS/i],
  ["SQL or the database", /\b(?:select|insert|update|delete)\b.+\b(?:from|into|set)\b|relation "|syntax error|postgres|drizzle|ECONN|duplicate key|violates/i],
];

/** Fails when `body` shows a stack trace, the token library's words or SQL. */
export function expectNoLeak(body: string): void {
  for (const [what, pattern] of LEAKS) {
    expect(pattern.test(body), `the body shows ${what}: ${body}`).toBe(false);
  }
}

/** Asserts `res` is refused with `status` and `code`, leaks nothing, and returns its message. */
export async function expectRefused(res: Response, status: number, code: Code): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { code: number; message: string; details: unknown[] };
  expect(body.code).toBe(code);
  expectNoLeak(text);
  return body.message;
}
