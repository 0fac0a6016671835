// ListAuditEvents over real gRPC: ADMIN only, filters, keyset pages bound to their query, bad
// input refused by the contract, and the table's append-only trigger proved with raw SQL.
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { AuditEventType } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditStack, codeOf, freshEmail, PASSWORD, startAuditStack } from "./audit-harness.js";
import { ADMIN_EMAIL } from "./harness.js";

let s: AuditStack;
let user: { userId: string; token: string };

beforeAll(async () => {
  s = await startAuditStack("auth_audit_list");
  const res = await s.as().signUp({ email: freshEmail(), password: PASSWORD, displayName: "Guest" });
  user = { userId: res.user?.userId ?? "", token: res.tokens?.accessToken ?? "" };
  // Four logins of the ADMIN: events to filter and page through.
  for (let i = 0; i < 4; i++) await s.as().login({ email: ADMIN_EMAIL, password: PASSWORD });
});
afterAll(async () => {
  await s?.close();
});

describe("who may read the trail", () => {
  it("refuses anonymous callers and users without ADMIN", async () => {
    expect(await codeOf(s.as().listAuditEvents({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(s.as(user.token).listAuditEvents({}))).toBe(Code.PermissionDenied);
    expect((await s.as(s.adminToken).listAuditEvents({})).auditEvents.length).toBeGreaterThan(0);
  });
});

describe("filters and pages", () => {
  it("filters by type, actor and subject", async () => {
    const logins = await s.events({ type: AuditEventType.LOGIN });
    expect(logins.length).toBe(4);
    expect(logins.every((e) => e.type === AuditEventType.LOGIN && e.actorUserId === s.adminId)).toBe(true);
    const mine = await s.events({ subjectUserId: user.userId });
    expect(mine.map((e) => e.type)).toEqual([AuditEventType.SIGN_UP]);
    const byAdmin = await s.events({ actorUserId: s.adminId });
    expect(byAdmin.map((e) => e.type).sort()).toEqual([AuditEventType.SIGN_UP, ...Array(4).fill(AuditEventType.LOGIN)].sort());
  });

  it("keeps events in [start_time, end_time)", async () => {
    const all = await s.events();
    const times = all.map((e) => timestampDate(e.occurTime!).getTime());
    // Newest first.
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const cut = new Date(times[Math.floor(times.length / 2)]!);
    const after = await s.events({ startTime: timestampFromDate(cut) });
    const before = await s.events({ endTime: timestampFromDate(cut) });
    expect(after.length + before.length).toBe(all.length);
    expect(after.every((e) => timestampDate(e.occurTime!) >= cut)).toBe(true);
    expect(before.every((e) => timestampDate(e.occurTime!) < cut)).toBe(true);
  });

  it("pages through every event once, with tokens bound to their query", async () => {
    const all = await s.events();
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await s.as(s.adminToken).listAuditEvents({ pageSize: 2, pageToken });
      expect(page.auditEvents.length).toBeLessThanOrEqual(2);
      seen.push(...page.auditEvents.map((e) => e.auditEventId));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(seen).toEqual(all.map((e) => e.auditEventId));
    expect(pages).toBe(Math.ceil(all.length / 2));

    const first = await s.as(s.adminToken).listAuditEvents({ pageSize: 1 });
    const other = s.as(s.adminToken).listAuditEvents({ pageSize: 1, pageToken: first.nextPageToken, type: AuditEventType.LOGIN });
    expect(await codeOf(other)).toBe(Code.InvalidArgument);
  });

  it("refuses bad input with INVALID_ARGUMENT", async () => {
    const list = (req: Parameters<ReturnType<AuditStack["as"]>["listAuditEvents"]>[0]) => codeOf(s.as(s.adminToken).listAuditEvents(req));
    const now = new Date();
    expect(await list({ pageSize: 1000 })).toBe(Code.InvalidArgument);
    expect(await list({ pageSize: -1 })).toBe(Code.InvalidArgument);
    expect(await list({ startTime: timestampFromDate(now), endTime: timestampFromDate(new Date(now.getTime() - 1000)) })).toBe(Code.InvalidArgument);
    expect(await list({ startTime: timestampFromDate(now), endTime: timestampFromDate(now) })).toBe(Code.InvalidArgument);
    expect(await list({ actorUserId: "not-a-uuid" })).toBe(Code.InvalidArgument);
    expect(await list({ type: 999 as AuditEventType })).toBe(Code.InvalidArgument);
    expect(await list({ pageToken: "garbage" })).toBe(Code.InvalidArgument);
  });
});

describe("append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE in the database itself, and keeps the rows", async () => {
    const [before] = await s.sql<{ n: number }[]>`select count(*)::int as n from audit_events`;
    const refused = (q: Promise<unknown>) =>
      q.then(
        () => "accepted",
        (e: unknown) => String((e as Error).message),
      );
    expect(await refused(s.sql`update audit_events set outcome = 'SUCCESS'`)).toMatch(/append-only: UPDATE refused/);
    expect(await refused(s.sql`update audit_events set details = '{}'::jsonb where type = 'LOGIN'`)).toMatch(/append-only/);
    expect(await refused(s.sql`delete from audit_events`)).toMatch(/append-only: DELETE refused/);
    expect(await refused(s.sql`truncate audit_events`)).toMatch(/append-only: TRUNCATE refused/);
    const [after] = await s.sql<{ n: number }[]>`select count(*)::int as n from audit_events`;
    expect(after?.n).toBe(before?.n);
    expect(before?.n).toBeGreaterThan(0);
  });
});
