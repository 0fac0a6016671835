import { createHash, randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { MoneySchema } from "@triphub/contracts/triphub/common/v1/money_pb";
import { ReservationOrder } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import {
  CreateReservationRequestSchema,
  type ReservationService,
} from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { notFound, requireIdentity } from "@triphub/platform";
import { pageSize } from "@triphub/platform/page-token";
import { toProtoEvent } from "@triphub/platform/events";
import type { Sealer } from "@triphub/platform/sealing";
import { reservationDecider } from "../domain/reservation-decider.js";
import { checkStayDates } from "../domain/stay-dates.js";
import { toProtoMoney } from "../proto-mapping/money.js";
import { toProtoReservation } from "../proto-mapping/reservation.js";
import { cancelCommand, requestCommand } from "../proto-mapping/requests.js";
import type { SagaRunner } from "../saga/saga-runner.js";
import { type ListOrder, type ListParty, listReservations } from "../store/reservation-list.js";
import type { ReservationStore } from "../store/reservation-store.js";
import type { ReservationDb } from "../store/db.js";
import { isAdmin, partyOf, visible } from "./access.js";
import { withoutCardToken } from "./redaction.js";

type ReservationRpcs = Pick<
  ServiceImpl<typeof ReservationService>,
  "createReservation" | "getReservation" | "listReservations" | "cancelReservation" | "getReservationHistory"
>;

export interface ReservationRpcDeps {
  db: ReservationDb;
  /** Opens the guest's contact in the listed rows. */
  sealer: Sealer;
  store: ReservationStore;
  runner: SagaRunner;
  now: () => Date;
  /** How long CreateReservation and CancelReservation wait for the saga before answering. */
  waitMs: number;
}

const ORDERS: Record<ReservationOrder, ListOrder> = {
  [ReservationOrder.UNSPECIFIED]: "create_desc",
  [ReservationOrder.CREATE_TIME_DESC]: "create_desc",
  [ReservationOrder.CHECK_IN_ASC]: "check_in_asc",
  [ReservationOrder.CHECK_IN_DESC]: "check_in_desc",
};

export function reservationRpcs(d: ReservationRpcDeps): ReservationRpcs {
  async function read(ctx: HandlerContext, id: string) {
    return visible(ctx, id, await d.store.get(id));
  }

  return {
    async createReservation(req, ctx) {
      const guest = requireIdentity(ctx);
      checkStayDates(req.checkIn, req.checkOut, d.now());
      // The request as sent, so a retry is told from another request reusing its id.
      const digest = createHash("sha256").update(toBinary(CreateReservationRequestSchema, req)).digest("base64url");
      const id = await d.store.claimRequest(guest.userId, req.requestId, digest, randomUUID());
      const requested = await d.store.run(id, requestCommand(req, guest.userId, id), d.now());
      d.runner.start(id, requested.state);
      await d.runner.settled(id, d.waitMs);
      const reservation = await d.store.get(id);
      if (!reservation) throw notFound("reservation", id);
      return { reservation };
    },

    async getReservation(req, ctx) {
      return { reservation: await read(ctx, req.reservationId) };
    },

    async listReservations(req, ctx) {
      const me = requireIdentity(ctx);
      let party: ListParty;
      if (req.propertyId) party = isAdmin(me) ? { propertyId: req.propertyId } : { propertyId: req.propertyId, hostId: me.userId };
      else if (req.hosting) party = { hostId: me.userId };
      else party = { guestId: me.userId };
      return listReservations(d.db, d.sealer, {
        party,
        statuses: req.statuses,
        checkInFrom: req.checkInFrom || undefined,
        checkInTo: req.checkInTo || undefined,
        order: ORDERS[req.order],
        pageSize: pageSize(req.pageSize, 20, 100),
        pageToken: req.pageToken,
      });
    },

    async cancelReservation(req, ctx) {
      const id = req.reservationId;
      const current = await read(ctx, id);
      const party = partyOf(ctx, current);
      if (party === "service" || party === undefined) throw notFound("reservation", id);
      const user = requireIdentity(ctx);
      const command = cancelCommand(req, party, user.userId);
      if (req.validateOnly) {
        const state = await d.store.load(id);
        const [event] = reservationDecider.decide(command, state, d.now());
        const refund = event?.type === "ReservationCancelled" ? toProtoMoney(event.refundAmount) : undefined;
        return { reservation: current, refundAmount: refund ?? current.cancellation?.refundAmount };
      }
      const outcome = await d.store.run(id, command, d.now());
      d.runner.start(id);
      await d.runner.settled(id, d.waitMs);
      const reservation = (await d.store.get(id)) ?? toProtoReservation(id, outcome.state.reservation);
      const refundAmount =
        reservation.cancellation?.refundAmount ?? create(MoneySchema, { currencyCode: reservation.price?.total?.currencyCode ?? "" });
      return { reservation, refundAmount };
    },

    async getReservationHistory(req, ctx) {
      await read(ctx, req.reservationId);
      const events = await d.store.history(req.reservationId);
      return {
        events: events.map((e) => withoutCardToken(toProtoEvent(e))),
      };
    },
  };
}
