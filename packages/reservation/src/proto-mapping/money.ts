// Money and prices both ways: domain (bigint minor units, `currency`) <-> triphub.common.v1.
// Used for what the saga sends to and hears from payment, and for the recorded events.
import { create } from "@bufbuild/protobuf";
import { type Money as ProtoMoney, MoneySchema } from "@triphub/contracts/triphub/common/v1/money_pb";
import { type StayPrice as ProtoStayPrice, StayPriceSchema } from "@triphub/contracts/triphub/common/v1/stay_pb";
import type { Money } from "../domain/money.js";
import type { StayPrice } from "../domain/stay.js";

/** Domain money as a proto Money. */
export const toProtoMoney = (m: Money): ProtoMoney => create(MoneySchema, { amountMinor: m.amountMinor, currencyCode: m.currency });

/** A proto Money as domain money. */
export const moneyFromProto = (m: ProtoMoney): Money => ({ amountMinor: m.amountMinor, currency: m.currencyCode });

/** A price in the contract's form. */
export function toProtoStayPrice(p: StayPrice): ProtoStayPrice {
  return create(StayPriceSchema, {
    nights: p.nights.map((n) => ({ date: n.date, price: toProtoMoney(n.price) })),
    units: p.units,
    total: toProtoMoney(p.total),
    averageNightly: toProtoMoney(p.averageNightly),
  });
}

/**
 * A proto price as the domain's, or undefined when it lacks an amount: a price that cannot be
 * charged or refunded by counts as none (the saga then fails the booking rather than guess).
 */
export function stayPriceFromProto(p: ProtoStayPrice | undefined): StayPrice | undefined {
  if (!p?.total || !p.averageNightly || p.nights.some((n) => !n.price)) return undefined;
  return {
    nights: p.nights.map((n) => ({ date: n.date, price: moneyFromProto(n.price ?? create(MoneySchema)) })),
    units: p.units,
    total: moneyFromProto(p.total),
    averageNightly: moneyFromProto(p.averageNightly),
  };
}
