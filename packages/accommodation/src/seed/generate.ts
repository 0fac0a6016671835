import { seededRandom } from "@triphub/platform";
import type { Bed } from "../domain/room-type.js";
import { addDays } from "../domain/dates.js";
import { isWeekendNight } from "../domain/night-price.js";
import type { Amenity, PropertyType } from "../domain/vocabulary.js";
import type { SeedCity } from "./cities.js";
import { SEED_CITIES } from "./cities.js";

/** A demo property as it is stored (LISTED), with its room types and non-default nights. */
export interface SeedProperty {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  type: PropertyType;
  line1: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  amenities: Amenity[];
  photos: { url: string; caption: string }[];
  houseRules: string[];
  checkInTime: string;
  checkOutTime: string;
  timeZone: string;
  currency: string;
  cancellationPolicy: "flexible" | "moderate" | "strict" | "non_refundable";
  starRating: number;
  roomTypes: SeedRoomType[];
}

/** A demo room type. */
export interface SeedRoomType {
  id: string;
  name: string;
  maxAdults: number;
  maxChildren: number;
  beds: Bed[];
  sizeSqm: number;
  amenities: Amenity[];
  unitCount: number;
  basePriceMinor: number;
  /** Friday and Saturday nights: a quarter above the base price. */
  weekendPriceMinor: number;
  /** Only nights that differ from the defaults (peak prices, bookings, restrictions). */
  nights: SeedNight[];
}

/** One inventory row. */
export interface SeedNight {
  night: string;
  unitsTotal: number;
  unitsBooked: number;
  priceOverrideMinor: number | null;
  minStayNights: number;
}

/** What to generate. */
export interface SeedOptions {
  seed: number;
  /** First night of the calendar, YYYY-MM-DD. */
  startDate: string;
  /** Nights of calendar per room type (365: a year). */
  calendarDays: number;
  /** Hosts the properties are spread over. */
  hosts: number;
}

/** The catalogue's random numbers: the platform's seeded generator, so a seed always gives one catalogue. */
export const rng = seededRandom;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** A version-4-shaped UUID drawn from `r`: deterministic ids make a seed reproducible. */
function uuid(r: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const TOTAL_WEIGHT = SEED_CITIES.reduce((s, c) => s + c.weight, 0);
function pickCity(r: Rand): SeedCity {
  let x = r() * TOTAL_WEIGHT;
  for (const c of SEED_CITIES) {
    x -= c.weight;
    if (x < 0) return c;
  }
  return SEED_CITIES[SEED_CITIES.length - 1];
}

const KOREAN_TYPES: readonly PropertyType[] = ["hotel", "hotel", "guesthouse", "hanok", "pension", "motel", "resort", "apartment", "hostel", "glamping"];
const WORLD_TYPES: readonly PropertyType[] = ["hotel", "hotel", "apartment", "hostel", "bed_and_breakfast", "villa", "house", "resort"];
const JAPAN_TYPES: readonly PropertyType[] = ["hotel", "ryokan", "hostel", "apartment", "guesthouse"];
const TYPE_WORDS: Record<PropertyType, string> = {
  hotel: "Hotel", guesthouse: "Guesthouse", apartment: "Residence", hanok: "Hanok Stay", resort: "Resort", hostel: "Hostel",
  villa: "Villa", motel: "Motel", pension: "Pension", bed_and_breakfast: "B&B", ryokan: "Ryokan", house: "House", cabin: "Cabin",
  glamping: "Glamping",
};
const ADJECTIVES = ["Blue", "Quiet", "Golden", "Old Town", "Harbour", "Garden", "Sunrise", "Moonlight", "Pine", "Riverside", "Hilltop", "Grand", "Little", "Cozy", "Urban", "Seaside"];
const NOUNS = ["Wave", "Lantern", "Maple", "Stone", "Cloud", "Bamboo", "Crane", "Orchid", "Bridge", "Lighthouse", "Camellia", "Willow"];
const COMMON: readonly Amenity[] = ["wifi", "air_conditioning", "heating", "non_smoking", "tv", "luggage_storage"];
const EXTRA: readonly Amenity[] = ["free_parking", "pool", "fitness_center", "spa", "restaurant", "bar", "breakfast_included", "front_desk_24h", "elevator", "pet_friendly", "family_friendly", "laundry_service", "garden", "ocean_view", "mountain_view", "ev_charger", "self_check_in", "sauna"];
const POLICIES = ["flexible", "flexible", "moderate", "moderate", "strict", "non_refundable"] as const;
const ROOMS = [
  { name: "Standard Double", maxAdults: 2, maxChildren: 1, beds: [{ type: "double", count: 1 }], size: 20, factor: 1 },
  { name: "Twin Room", maxAdults: 2, maxChildren: 0, beds: [{ type: "single", count: 2 }], size: 22, factor: 1.05 },
  { name: "Deluxe King", maxAdults: 2, maxChildren: 2, beds: [{ type: "king", count: 1 }], size: 32, factor: 1.5 },
  { name: "Family Suite", maxAdults: 4, maxChildren: 2, beds: [{ type: "queen", count: 2 }], size: 48, factor: 2.2 },
  { name: "Single Room", maxAdults: 1, maxChildren: 0, beds: [{ type: "single", count: 1 }], size: 12, factor: 0.6 },
  { name: "Ondol Room", maxAdults: 3, maxChildren: 1, beds: [{ type: "floor_mattress", count: 3 }], size: 26, factor: 1.1 },
] as const;

// Round to a price people would write: 1,000 won or yen, whole dollars, euros...
function roundPrice(minor: number, currency: string): number {
  const step = currency === "KRW" || currency === "JPY" || currency === "TWD" ? 1000 : 100;
  return Math.max(step, Math.round(minor / step) * step);
}

const isPeak = (date: string) => {
  const md = date.slice(5);
  return (md >= "07-20" && md <= "08-20") || md >= "12-24" || md <= "01-01";
};

// The nights of a calendar with what makes them dearer, computed once per (start, length).
let nightsMemo: { key: string; nights: { night: string; weekend: boolean; peak: boolean }[] } | undefined;
function calendarNights(o: SeedOptions) {
  const key = `${o.startDate}/${o.calendarDays}`;
  if (nightsMemo?.key !== key) {
    const nights = Array.from({ length: o.calendarDays }, (_, i) => {
      const night = addDays(o.startDate, i);
      return { night, weekend: isWeekendNight(night), peak: isPeak(night) };
    });
    nightsMemo = { key, nights };
  }
  return nightsMemo.nights;
}

const WEEKEND_FACTOR = 1.25;

function calendar(r: Rand, units: number, prices: { base: number; weekend: number }, currency: string, o: SeedOptions): SeedNight[] {
  const out: SeedNight[] = [];
  const nights = calendarNights(o);
  for (let i = 0; i < nights.length; i++) {
    const { night, weekend, peak } = nights[i];
    const price = roundPrice(prices.base * (weekend ? WEEKEND_FACTOR : 1) * (peak ? 1.4 : 1), currency);
    // The room type's own weekend price covers ordinary weekends; only peak nights need an override.
    const override = price === (weekend ? prices.weekend : prices.base) ? null : price;
    // Some nights already sell out; nearer nights are fuller.
    const booked = r() < 0.06 + (i < 30 ? 0.1 : 0) ? int(r, 1, units) : 0;
    const minStay = weekend && peak && r() < 0.5 ? 2 : 0;
    if (override === null && booked === 0 && minStay === 0) continue;
    out.push({ night, unitsTotal: units, unitsBooked: booked, priceOverrideMinor: override, minStayNights: minStay });
  }
  return out;
}

let hostsMemo: { key: string; ids: string[] } | undefined;
/** The host accounts that own the catalogue of `o.seed`. */
export function seedHosts(o: Pick<SeedOptions, "seed" | "hosts">): string[] {
  const key = `${o.seed}/${o.hosts}`;
  if (hostsMemo?.key !== key) {
    const r = rng(o.seed ^ 0x5eed);
    hostsMemo = { key, ids: Array.from({ length: o.hosts }, () => uuid(r)) };
  }
  return hostsMemo.ids;
}

/** Property number `index` of the catalogue of `o.seed`: the same on every run, whatever the catalogue size. */
export function seedProperty(index: number, o: SeedOptions): SeedProperty {
  const r = rng((o.seed * 1_000_003 + index) >>> 0);
  const hosts = seedHosts(o);
  const c = pickCity(r);
  const type = pick(r, c.countryCode === "KR" ? KOREAN_TYPES : c.countryCode === "JP" ? JAPAN_TYPES : WORLD_TYPES);
  const name = `${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} ${TYPE_WORDS[type]}`;
  // Within about 8 km of the centre (a degree of latitude is 111 km).
  const latitude = c.latitude + (r() - 0.5) * 0.14;
  const longitude = c.longitude + ((r() - 0.5) * 0.14) / Math.cos((c.latitude * Math.PI) / 180);
  const amenities = [...new Set([...COMMON.filter(() => r() < 0.7), ...EXTRA.filter(() => r() < 0.2), ...(c.countryCode === "KR" && r() < 0.4 ? (["ondol"] as const) : [])])];
  const starRating = type === "hotel" || type === "resort" ? int(r, 2, 5) : 0;
  const level = 0.6 + r() * 0.9 + starRating * 0.15;
  // Ratings come from reviews (the review service), so the catalogue has none. This draw made
  // up a review count once; it is still taken so that every later value (ids, prices,
  // calendars) of each seed's catalogue stays what it was.
  if (r() >= 0.1) int(r, 1, 800);
  const id = uuid(r);
  const roomCount = int(r, 1, type === "hotel" || type === "resort" ? 4 : 2);
  const roomTypes: SeedRoomType[] = [];
  for (let k = 0; k < roomCount; k++) {
    const t = ROOMS[(index + k * 2) % ROOMS.length];
    const units = int(r, 1, type === "hotel" ? 30 : 6);
    const base = roundPrice(c.typicalNightlyMinor * level * t.factor, c.currency);
    const weekend = roundPrice(base * WEEKEND_FACTOR, c.currency);
    roomTypes.push({
      id: uuid(r),
      name: t.name,
      maxAdults: t.maxAdults,
      maxChildren: t.maxChildren,
      beds: t.beds.map((b) => ({ ...b })),
      sizeSqm: t.size + int(r, 0, 8),
      amenities: (["private_bathroom", "hair_dryer", "safe", "minibar", "balcony"] as const).filter(() => r() < 0.5),
      unitCount: units,
      basePriceMinor: base,
      weekendPriceMinor: weekend,
      nights: calendar(r, units, { base, weekend }, c.currency, o),
    });
  }
  return {
    id,
    ownerId: hosts[index % hosts.length],
    name,
    description: `${name} in ${c.city}: ${type.replaceAll("_", " ")} close to ${pick(r, c.streets)}. ${pick(r, ["Quiet rooms and friendly staff.", "Great for families.", "Walk to the market and the sea.", "Loved by solo travellers.", "Traditional breakfast on request."])}`,
    type,
    line1: `${int(r, 1, 300)} ${pick(r, c.streets)}`,
    city: c.city,
    region: c.region,
    postalCode: String(int(r, 10000, 99999)),
    countryCode: c.countryCode,
    latitude: Math.round(latitude * 1e6) / 1e6,
    longitude: Math.round(longitude * 1e6) / 1e6,
    amenities,
    photos: [{ url: `https://picsum.photos/seed/${id.slice(0, 8)}/1200/800`, caption: name }],
    houseRules: ["No smoking indoors", "Quiet hours 22:00-08:00"],
    checkInTime: pick(r, ["14:00", "15:00", "16:00"]),
    checkOutTime: pick(r, ["10:00", "11:00", "12:00"]),
    timeZone: c.timeZone,
    currency: c.currency,
    cancellationPolicy: pick(r, POLICIES),
    starRating,
    roomTypes,
  };
}

/** Properties 0 .. count-1 of the catalogue of `o.seed`, lazily (100k properties need not sit in memory). */
export function* seedCatalogue(count: number, o: SeedOptions): Generator<SeedProperty> {
  for (let i = 0; i < count; i++) yield seedProperty(i, o);
}
