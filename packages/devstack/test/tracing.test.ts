// `npm start` with the standard OTEL_* variables set: one REST booking through the gateway is
// one trace across the gateway, reservation, accommodation, payment and their databases, sent
// to an OTLP receiver; an event's consumer links to the span that produced it; the services'
// log lines inside the booking carry its trace id.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { eventually, type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDevstack, startDevstack } from "./running-devstack.js";

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let receiver: OtlpReceiver;
let stack: RunningDevstack;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startDevstack({
    properties: 10,
    readyTimeoutMs: 150_000,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "200" },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
}, 30_000);

async function rest<T>(path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const res = await fetch(`${stack.gatewayUrl}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const login = async (email: string, password: string) =>
  (await rest<{ tokens: { accessToken: string } }>("/api/v1/auth:login", { body: { email, password } })).tokens.accessToken;

/** The spans of one trace, and the chain of services from each span up to the root. */
function traceOf(traceId: string) {
  const spans = receiver.spans().filter((s) => s.traceId === traceId);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestry = (s: ReceivedSpan): ReceivedSpan[] => {
    const chain = [s];
    for (let p = byId.get(s.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p);
    return chain;
  };
  return { spans, ancestry };
}

describe("tracing on a running devstack", () => {
  it("makes one REST booking one trace: gateway -> reservation -> accommodation and payment -> their databases", async () => {
    const email = `trace-${Date.now()}@example.com`;
    await rest("/api/v1/users", { body: { email, password: "correct horse battery", displayName: "Tracy" } });
    const token = await login(email, "correct horse battery");
    const day = (d: number) => new Date(Date.now() + d * 864e5).toISOString().slice(0, 10);
    const [checkIn, checkOut] = [day(21), day(23)];
    const hit = await rest<{ results: { accommodation: { propertyId: string }; bestOffer: { roomTypeId: string } }[] }>(
      `/api/v1/accommodations:search?destination=Seoul&checkIn=${checkIn}&checkOut=${checkOut}&adults=2&pageSize=1`,
    );
    const stay = { propertyId: hit.results[0]!.accommodation.propertyId, roomTypeId: hit.results[0]!.bestOffer.roomTypeId, checkIn, checkOut };
    const booked = await rest<{ reservationId: string; status: string }>("/api/v1/reservations", {
      token,
      headers: { "idempotency-key": crypto.randomUUID() },
      body: { ...stay, guests: { adults: 2 }, units: 1, contact: { fullName: "Tracy Lee", email: "tracy@example.com" }, paymentMethodToken: "tok_visa" },
    });
    expect(booked.status).toBe("RESERVATION_STATUS_CONFIRMED");

    // The gateway's span of the booking is the root of its trace.
    const root = await eventually(async () => {
      const found = receiver.spans().find((s) => s.service === "gateway" && s.kind === SERVER && s.name === "POST /api/v1/reservations");
      expect(found).toBeDefined();
      return found!;
    }, 15_000);
    expect(root.parentSpanId).toBe("");
    const services = (t: ReturnType<typeof traceOf>) => new Set(t.spans.map((s) => s.service));
    // Spans arrive in batches from five processes: wait until the last service's are in.
    const trace = await eventually(async () => {
      const t = traceOf(root.traceId);
      expect([...services(t)].sort()).toEqual(expect.arrayContaining(["accommodation", "gateway", "payment", "reservation"]));
      expect(t.spans.filter((s) => s.name.startsWith("saga ")).map((s) => s.name)).toEqual(expect.arrayContaining(["saga hold", "saga authorize", "saga confirm"]));
      return t;
    }, 15_000);

    const find = (service: string, kind: number, name: string) => {
      const s = trace.spans.find((x) => x.service === service && x.kind === kind && x.name === name);
      expect(s, `${service} ${name}`).toBeDefined();
      return s!;
    };
    // Every hop is a child of the one before it, across processes.
    const created = find("reservation", SERVER, "triphub.reservation.v1.ReservationService/CreateReservation");
    expect(trace.ancestry(created).map((s) => `${s.service}:${s.kind}`)).toEqual(["reservation:2", "gateway:3", "gateway:2"]);
    const held = find("accommodation", SERVER, "triphub.accommodation.v1.AccommodationService/HoldInventory");
    expect(trace.ancestry(held).map((s) => s.name)).toEqual(expect.arrayContaining(["saga hold", created.name, root.name]));
    expect(held.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.grpc.status_code": 0 });
    const authorized = find("payment", SERVER, "triphub.payment.v1.PaymentService/AuthorizePayment");
    expect(trace.ancestry(authorized).map((s) => s.name)).toContain("saga authorize");
    // PostgreSQL statements under each service's handling, with the statement and no values.
    for (const [service, parent] of [["reservation", created], ["accommodation", held], ["payment", authorized]] as const) {
      const statements = trace.spans.filter((s) => s.service === service && s.kind === CLIENT && s.attributes["db.system.name"] === "postgresql");
      expect(statements.length, service).toBeGreaterThan(0);
      expect(statements.some((s) => trace.ancestry(s).includes(parent)), service).toBe(true);
    }
    const text = JSON.stringify(trace.spans);
    for (const secret of ["tracy@example.com", "Tracy Lee", "tok_visa", token]) expect(text).not.toContain(secret);
    // One trace: every span of it leads up to the gateway's.
    for (const s of trace.spans) expect(trace.ancestry(s).at(-1)?.spanId).toBe(root.spanId);
    // The outbox recorded the booking's events under the saga's spans.
    expect(trace.spans.some((s) => s.service === "reservation" && s.kind === PRODUCER)).toBe(true);

    // Logs: the gateway's access line and reservation's lines of the booking carry its trace id.
    await eventually(async () => {
      const gateway = await logLines("gateway");
      const access = gateway.find((l) => l.message === "http" && l["http.route"] === "/api/v1/reservations" && l["http.request.method"] === "POST");
      expect(access).toMatchObject({ "trace.id": root.traceId, "http.response.status_code": 200, "service.name": "gateway" });
      expect(access?.["user.id"]).toEqual(expect.any(String));
      const reservation = await logLines("reservation");
      const rpc = reservation.find((l) => l.message === "rpc" && l.rpc === "triphub.reservation.v1.ReservationService/CreateReservation");
      expect(rpc?.["trace.id"]).toBe(root.traceId);
    }, 10_000);
  }, 90_000);

  it("links an event's consumer to the span that published it", async () => {
    // The demo guest reviews a past stay: review publishes ReviewPublished, accommodation's
    // rating statistics consume it in a trace of their own, linked to the publisher.
    const password = (await readFile(join(stack.dataDir, "secrets", "demo-guest-password"), "utf8")).trim();
    const guest = await login("guest@demo.triphub.test", password);
    const { reservations } = await rest<{ reservations: { reservationId: string; status: string }[] }>("/api/v1/reservations", { token: guest });
    const stayed = reservations.find((r) => r.status === "RESERVATION_STATUS_COMPLETED")!;
    await rest("/api/v1/reviews", { token: guest, body: { reservationId: stayed.reservationId, rating: 5, title: "Lovely", body: "Warm floors and a quiet lane." } });
    const root = await eventually(async () => {
      const found = receiver.spans().find((s) => s.service === "gateway" && s.name === "POST /api/v1/reviews");
      expect(found).toBeDefined();
      return found!;
    }, 15_000);
    const consumed = await eventually(async () => {
      const publish = receiver.spans().find((s) => s.traceId === root.traceId && s.service === "review" && s.kind === PRODUCER);
      expect(publish).toBeDefined();
      const consumer = receiver.spans().find((s) => s.service === "accommodation" && s.kind === CONSUMER && s.links.some((l) => l.spanId === publish!.spanId));
      expect(consumer).toBeDefined();
      return consumer!;
    }, 20_000);
    // A trace of its own (the hop is asynchronous), linked to the publisher's.
    expect(consumed.traceId).not.toBe(root.traceId);
    expect(consumed.parentSpanId).toBe("");
    expect(consumed.links[0]?.traceId).toBe(root.traceId);
  }, 60_000);
});

async function logLines(service: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(stack.dataDir, "logs", `${service}.log`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
