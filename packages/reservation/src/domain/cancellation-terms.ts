// PLACEHOLDER until the refund-rules branch lands (it replaces this file).
import { create } from "@bufbuild/protobuf";
import { MoneySchema, type Money } from "@triphub/contracts/triphub/common/v1/money_pb";
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";

export function freeCancellationUntil(_r: Reservation, _confirmedAt: Date): Date | undefined {
  return undefined;
}
export function refundOnCancel(r: Reservation, o: { actor: "guest" | "host" | "admin"; at: Date; capturedMinor: bigint | number }): { amount: Money; rule: string } {
  return { amount: create(MoneySchema, { amountMinor: BigInt(o.capturedMinor), currencyCode: r.price?.total?.currencyCode ?? "" }), rule: "full" };
}
export function stayHasBegun(_r: Reservation, _at: Date): boolean {
  return false;
}
