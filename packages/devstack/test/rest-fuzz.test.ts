// The attack suite's REST fuzzer: every route in the gateway's /openapi.json, as `npm start`
// runs it, sent malformed requests (wrong types, huge and deep bodies, bad encodings, bad
// dates, unknown fields, path tricks), signed in and not, bounded in count and time. The
// platform must answer each with a client error as a google.rpc.Status, never a 5xx, never a
// stack trace or SQL, keep every process running, and write nothing.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDevstack, startDevstack } from "./running-devstack.js";

let stack: RunningDevstack;
let token = "";
beforeAll(async () => {
  // Rate limits off: one address sends every case, and each must reach the services.
  stack = await startDevstack({ properties: 20, env: { RATE_LIMITS: "off" } });
  const email = `fuzz-${Date.now()}@example.com`;
  const body = JSON.stringify({ email, password: "correct horse battery", displayName: "Fuzz" });
  const res = await fetch(`${stack.gatewayUrl}/api/v1/users`, { method: "POST", headers: { "content-type": "application/json" }, body });
  token = ((await res.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
}, 180_000);
afterAll(() => stack?.stop(), 30_000);

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string }[];
  hasBody: boolean;
}

async function operations(): Promise<Operation[]> {
  const spec = (await (await fetch(`${stack.gatewayUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
  };
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ["get", "post", "patch", "put", "delete"].includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, params: op.parameters ?? [], hasBody: op.requestBody !== undefined })),
  );
}

/** Path values that try to escape their segment or break the parser. */
const PATH_TRICKS = ["..%2F..%2Fetc%2Fpasswd", "%00", "x".repeat(5000), "' OR 1=1 --", "%E0%A4%A", "😀", "-1", "00000000-0000-0000-0000-000000000000"];

/** Bodies that are not what any RPC takes. */
function badBodies(): { body: string | Uint8Array; type: string }[] {
  let deep = "1";
  for (let i = 0; i < 2000; i++) deep = `{"a":${deep}}`;
  return [
    { body: "{not json", type: "application/json" },
    { body: '{"unknownField":1,"another":{"x":[1,2,3]}}', type: "application/json" },
    { body: deep, type: "application/json" },
    { body: JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => i) }), type: "application/json" },
    { body: JSON.stringify({ name: "x".repeat(1_000_000) }), type: "application/json" },
    { body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: "application/json" },
    { body: "[]", type: "application/json" },
    { body: "null", type: "application/json" },
    { body: '{"checkIn":"2026-02-30","checkOut":"yesterday","rating":"five","pageSize":"many","propertyId":12}', type: "application/json" },
    { body: "name=x", type: "application/x-www-form-urlencoded" },
    { body: "<xml/>", type: "text/xml" },
  ];
}

/** Query strings with wrong types and bad dates. */
const BAD_QUERIES = ["pageSize=-5", "pageSize=abc", "pageSize=99999999999999999999", "checkIn=2026-13-45&checkOut=0", "sort=NOT_A_SORT", "minRating=NaN", "adults=1e999", "page_token=%FF%FE"];

/** Row counts of every table of every TripHub database: what a refused request must not move. */
async function rowCounts(): Promise<Record<string, number>> {
  const admin = postgres(await stack.databaseUrl("postgres"), { max: 1, onnotice: () => {} });
  const dbs = (await admin<{ datname: string }[]>`select datname from pg_database where datname like 'triphub_%'`).map((r) => r.datname);
  await admin.end();
  const counts: Record<string, number> = {};
  for (const db of dbs) {
    const sql = postgres(await stack.databaseUrl(db), { max: 1, onnotice: () => {} });
    try {
      const tables = await sql<{ t: string }[]>`select quote_ident(tablename) as t from pg_tables where schemaname = 'public'`;
      for (const { t } of tables) {
        const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t}`);
        counts[`${db}.${t}`] = row!.n;
      }
    } finally {
      await sql.end();
    }
  }
  return counts;
}

const SECRETS_OR_INTERNALS = /\bat \S+ \(|node_modules|\.ts:\d+|SELECT |INSERT |syntax error at|duplicate key|relation "|postgres|TypeError|ReferenceError/i;

describe("the REST fuzzer over /openapi.json", () => {
  it("gets a client error for every malformed request, no 5xx, nothing leaked, nothing written, no process down", { timeout: 240_000 }, async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(40);
    // Background work (the rating consumer catching up on the seed) settles before the baseline.
    await new Promise((r) => setTimeout(r, 2_000));
    const before = await rowCounts();
    const deadline = Date.now() + 150_000;
    const failures: string[] = [];
    let sent = 0;
    const send = async (method: string, url: string, init: { body?: string | Uint8Array; type?: string; auth: boolean }) => {
      const headers: Record<string, string> = {};
      if (init.type) headers["content-type"] = init.type;
      if (init.auth) headers.authorization = `Bearer ${token}`;
      const res = await fetch(url, { method, headers, body: init.body });
      sent++;
      const text = await res.text();
      const where = `${method} ${url.slice(stack.gatewayUrl.length, stack.gatewayUrl.length + 120)} (${init.type ?? "no body"})`;
      if (res.status >= 500) failures.push(`${res.status} for ${where}: ${text.slice(0, 200)}`);
      if (res.status >= 400) {
        let status: { code?: unknown; message?: unknown; error?: { code?: unknown; message?: unknown } } = {};
        try {
          status = JSON.parse(text.split("\n")[0]!) as typeof status;
        } catch {
          failures.push(`${res.status} without a JSON body for ${where}`);
        }
        // A server-streaming route (NDJSON or SSE) that fails before its first message says so
        // in one line: {"error": <google.rpc.Status>}.
        if (status.error) status = status.error;
        if (typeof status.code !== "number" || typeof status.message !== "string") failures.push(`${res.status} without a google.rpc.Status for ${where}`);
      }
      if (SECRETS_OR_INTERNALS.test(text)) failures.push(`internals in the answer to ${where}: ${text.slice(0, 200)}`);
      if (res.status < 400 && method !== "GET") failures.push(`${res.status}: a malformed ${where} was accepted`);
    };

    for (const op of ops) {
      if (Date.now() > deadline) break;
      const pathParams = op.params.filter((p) => p.in === "path");
      const withPath = (value: string) => op.path.replace(/\{[^}]+\}/g, value);
      const valid = withPath(crypto.randomUUID());
      for (const trick of pathParams.length > 0 ? PATH_TRICKS : []) {
        await send(op.method, `${stack.gatewayUrl}${withPath(trick)}`, { auth: true, ...(op.hasBody ? { body: "{}", type: "application/json" } : {}) });
      }
      if (op.hasBody) {
        for (const { body, type } of badBodies()) {
          for (const auth of [true, false]) await send(op.method, `${stack.gatewayUrl}${valid}`, { body, type, auth });
        }
      } else {
        for (const q of BAD_QUERIES) await send(op.method, `${stack.gatewayUrl}${valid}?${q}`, { auth: true });
      }
    }

    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    const after = await rowCounts();
    const moved = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(moved).toEqual([]);
    // Every service still up: the supervisor restarts a crashed one and says so with a ✖.
    expect(stack.output()).not.toContain("✖");
    for (const path of ["/healthz", "/readyz"]) expect((await fetch(`${stack.gatewayUrl}${path}`)).status).toBe(200);
  });
});
