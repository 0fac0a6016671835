import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Photo as ProtoPhoto, PhotoSchema } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { type Money as ProtoMoney, MoneySchema } from "@triphub/contracts/triphub/common/v1/money_pb";
import { type StayPrice as ProtoStayPrice, StayPriceSchema } from "@triphub/contracts/triphub/common/v1/stay_pb";
import { invalid } from "@triphub/platform";
import type { StayPrice } from "../domain/calendar.js";
import type { Money } from "../domain/money.js";
import type { Photo } from "../domain/property.js";

/** Domain money (number minor units) as the proto's int64 `amount_minor`. */
export function toProtoMoney(m: Money): ProtoMoney {
  return create(MoneySchema, { amountMinor: BigInt(m.amountMinor), currencyCode: m.currency });
}

/**
 * Proto money as domain money. The request rules cap amounts at 10^14 minor units, well inside
 * a safe integer; anything beyond (a caller skipping validation) is refused, never rounded.
 */
export function fromProtoMoney(m: ProtoMoney, field: string): Money {
  const amount = Number(m.amountMinor);
  if (!Number.isSafeInteger(amount)) throw invalid(`${field}.amount_minor`, "is out of range");
  return { amountMinor: amount, currency: m.currencyCode };
}

/** A Date as a Timestamp, or unset. */
export const toProtoTime = (d: Date | undefined): Timestamp | undefined => (d === undefined ? undefined : timestampFromDate(d));

/** Domain photos as proto photos. */
export const toProtoPhotos = (photos: readonly Photo[]): ProtoPhoto[] =>
  photos.map((p) => create(PhotoSchema, { url: p.url, caption: p.caption }));

/** Proto photos as domain photos. */
export const fromProtoPhotos = (photos: readonly ProtoPhoto[]): Photo[] => photos.map((p) => ({ url: p.url, caption: p.caption }));

/** What a stay costs, night by night, in the contract's form. */
export function toProtoStayPrice(p: StayPrice): ProtoStayPrice {
  return create(StayPriceSchema, {
    nights: p.nights.map((n) => ({ date: n.date, price: toProtoMoney(n.price) })),
    units: p.units,
    total: toProtoMoney(p.total),
    averageNightly: toProtoMoney(p.averageNightly),
  });
}
