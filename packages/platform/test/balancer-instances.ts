import type { Socket } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { createLogger, createService, type ServiceHost } from "../src/index.js";

const log = createLogger({ service: "balancer-test", level: "silent" });

/** What a test instance does with each call, changed by the test while it runs. */
export type Behaviour = "ok" | "unavailable" | "hang" | { unavailableAfterMs: number };

/**
 * A real chassis instance (gRPC on loopback) of a stand-in for the reservation contract, which
 * has a read (GetReservation, an HTTP GET), a server stream (WatchReservation), a write with an
 * idempotency key (CreateReservation's request_id) and one without (CancelReservation).
 */
export interface TestInstance {
  name: string;
  url: string;
  host: ServiceHost;
  /** Calls that reached a handler, by method local name. */
  calls: Record<string, number>;
  behaviour: Behaviour;
  /** Stops listening and resets every connection, as a killed process's kernel would. */
  kill(): void;
  /** Ends every hanging call. */
  release(): void;
  close(): Promise<void>;
}

export async function startInstance(name: string): Promise<TestInstance> {
  const calls: Record<string, number> = {};
  const hanging = new Set<() => void>();
  const sockets = new Set<Socket>();
  let killed = false;
  const instance = {} as TestInstance;

  async function behave(method: string) {
    calls[method] = (calls[method] ?? 0) + 1;
    const b = instance.behaviour;
    if (b === "unavailable") throw new ConnectError(`${name} is unwell`, Code.Unavailable);
    if (b === "hang") await new Promise<void>((r) => hanging.add(r));
    if (typeof b === "object") {
      await new Promise((r) => setTimeout(r, b.unavailableAfterMs));
      throw new ConnectError(`${name} gave up`, Code.Unavailable);
    }
  }
  const reservation = (id: string) => ({ reservationId: id, guestId: name });

  const host = await createService({
    name,
    serviceNames: [ReservationService.typeName],
    routes: (router) =>
      router.service(ReservationService, {
        async getReservation(req) {
          await behave("getReservation");
          return { reservation: reservation(req.reservationId) };
        },
        async *watchReservation(req) {
          await behave("watchReservation");
          yield { reservation: reservation(req.reservationId) };
        },
        async createReservation(req) {
          await behave("createReservation");
          return { reservation: { ...reservation("00000000-0000-4000-8000-000000000001"), requestId: req.requestId } };
        },
        async cancelReservation(req) {
          await behave("cancelReservation");
          return { reservation: reservation(req.reservationId) };
        },
      }),
    log,
  });
  const url = await host.listen({ port: 0 });
  host.app.server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  return Object.assign(instance, {
    name,
    url,
    host,
    calls,
    behaviour: "ok" as Behaviour,
    kill() {
      killed = true;
      host.app.server.close();
      for (const s of sockets) s.resetAndDestroy();
    },
    release() {
      for (const r of hanging) r();
      hanging.clear();
    },
    async close() {
      instance.release();
      if (!killed) await host.close();
    },
  });
}

/** A booking request valid for CreateReservation. */
export const booking = (requestId: string) => ({
  requestId,
  propertyId: "22222222-2222-4222-8222-222222222222",
  roomTypeId: "33333333-3333-4333-8333-333333333333",
  checkIn: "2026-07-01",
  checkOut: "2026-07-03",
  guests: { adults: 2 },
  units: 1,
  contact: { fullName: "Ana Guest", email: "ana@example.com" },
  paymentMethodToken: "tok_visa",
});
