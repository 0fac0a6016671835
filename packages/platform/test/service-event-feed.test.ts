// A service's event feed handed to the chassis (`eventFeed`): a follower's stream ends as
// shutdown begins, so closing the service does not wait out the drain timeout for it.
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { freshDatabase } from "@triphub/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventFeed } from "../src/events/index.js";
import { createLogger, createService, type ServiceOptions } from "../src/index.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/consumer-migrations", import.meta.url));
const log = createLogger({ service: "feed-test", level: "silent" });
let client: postgres.Sql;
beforeAll(async () => {
  client = postgres(await freshDatabase({ migrationsFolder, name: "service_event_feed" }), { max: 4, onnotice: () => {} });
});
afterAll(() => client?.end());

/** A service whose one stream waits on the feed, as a StreamEvents follower does between events; how long its close took. */
async function closeWhileFollowing(withFeed: boolean, drainTimeoutMs: number): Promise<{ closeMs: number; ended: unknown }> {
  const feed = createEventFeed({ sql: client, log, channel: "service_feed_test" });
  const opts: ServiceOptions = {
    name: "test",
    serviceNames: [ReservationService.typeName],
    log,
    drainTimeoutMs,
    verifyToken: async () => ({ userId: "11111111-1111-4111-8111-111111111111", roles: ["GUEST"] }),
    routes: (router) =>
      router.service(ReservationService, {
        async *watchReservation(_req, ctx) {
          yield {};
          while (!feed.closed.aborted && !ctx.signal.aborted) await feed.wait(60_000, ctx.signal);
        },
      }),
    ...(withFeed ? { eventFeed: feed } : { onClose: () => feed.close() }),
  };
  const host = await createService(opts);
  const url = await host.listen({ port: 0, host: "127.0.0.1" });
  const watcher = createClient(ReservationService, createGrpcTransport({ baseUrl: url }));
  const stream = watcher.watchReservation({ reservationId: "6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5" }, { headers: { authorization: "Bearer t" } });
  const ended = (async () => {
    for await (const _ of stream);
  })().then(
    () => "ended",
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  await host.close();
  return { closeMs: Date.now() - t0, ended: await ended };
}

describe("a service's event feed in the chassis", () => {
  it("ends its followers' streams cleanly as shutdown begins, so the close does not wait out the drain", async () => {
    const { closeMs, ended } = await closeWhileFollowing(true, 30_000);
    expect(ended).toBe("ended");
    expect(closeMs).toBeLessThan(15_000);
  });

  it("without it, a follower holds the close until the drain timeout", async () => {
    const { closeMs } = await closeWhileFollowing(false, 2_000);
    expect(closeMs).toBeGreaterThanOrEqual(1_900);
  });
});
