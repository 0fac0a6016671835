// The query mix of the accommodation-search benchmark: deterministic guest searches over the
// seed catalogue's cities (packages/accommodation/src/seed/cities.ts; the few fields a search
// needs, with what a guest would look for there, are listed here), drawn with the seed's own
// random numbers.
import { rng } from "@triphub/accommodation";

/** A city of the seed catalogue, as far as searching it needs. */
interface City {
  name: string;
  latitude: number;
  longitude: number;
  currency: string;
  /** A typical double room per night in minor units (the seed's `typicalNightlyMinor`). */
  typical: number;
  /** Share of searches, roughly the seed's share of the catalogue. */
  weight: number;
  types: readonly string[];
}

const KR = ["HOTEL", "GUESTHOUSE", "HANOK", "PENSION", "MOTEL", "RESORT", "APARTMENT", "HOSTEL", "GLAMPING"];
const JP = ["HOTEL", "RYOKAN", "HOSTEL", "APARTMENT", "GUESTHOUSE"];
const WORLD = ["HOTEL", "APARTMENT", "HOSTEL", "BED_AND_BREAKFAST", "VILLA", "HOUSE", "RESORT"];
const c = (name: string, latitude: number, longitude: number, currency: string, typical: number, weight: number, types: readonly string[]): City => ({
  name, latitude, longitude, currency, typical, weight, types,
});
/** Seed cities: Korean first (most of the catalogue and of the searches), then world cities. */
export const CITIES: readonly City[] = [
  c("Seoul", 37.5665, 126.978, "KRW", 130_000, 20, KR), c("Busan", 35.1796, 129.0756, "KRW", 110_000, 10, KR),
  c("Jeju", 33.4996, 126.5312, "KRW", 140_000, 9, KR), c("Seogwipo", 33.2541, 126.56, "KRW", 150_000, 5, KR),
  c("Gyeongju", 35.8562, 129.2247, "KRW", 90_000, 4, KR), c("Jeonju", 35.8242, 127.148, "KRW", 80_000, 3, KR),
  c("Gangneung", 37.7519, 128.8761, "KRW", 100_000, 3, KR), c("Sokcho", 38.207, 128.5918, "KRW", 95_000, 2, KR),
  c("Incheon", 37.4563, 126.7052, "KRW", 100_000, 3, KR), c("Yeosu", 34.7604, 127.6622, "KRW", 105_000, 2, KR),
  c("Andong", 36.5684, 128.7294, "KRW", 75_000, 1, KR), c("Tokyo", 35.6762, 139.6503, "JPY", 18_000, 6, JP),
  c("Osaka", 34.6937, 135.5023, "JPY", 14_000, 3, JP), c("Kyoto", 35.0116, 135.7681, "JPY", 22_000, 3, JP),
  c("Taipei", 25.033, 121.5654, "TWD", 320_000, 2, WORLD), c("Bangkok", 13.7563, 100.5018, "THB", 250_000, 2, WORLD),
  c("Singapore", 1.3521, 103.8198, "SGD", 22_000, 2, WORLD), c("New York", 40.7128, -74.006, "USD", 24_000, 3, WORLD),
  c("San Francisco", 37.7749, -122.4194, "USD", 21_000, 2, WORLD), c("Paris", 48.8566, 2.3522, "EUR", 19_000, 3, WORLD),
  c("Barcelona", 41.3874, 2.1686, "EUR", 15_000, 2, WORLD), c("Rome", 41.9028, 12.4964, "EUR", 16_000, 2, WORLD),
  c("London", 51.5072, -0.1276, "GBP", 17_000, 3, WORLD), c("Sydney", -33.8688, 151.2093, "AUD", 26_000, 2, WORLD),
];

/** Amenities the seed gives some properties (the "extra" ones) that guests filter on. */
const AMENITIES = ["POOL", "FREE_PARKING", "BREAKFAST_INCLUDED", "PET_FRIENDLY", "FITNESS_CENTER", "SPA", "OCEAN_VIEW", "WIFI"];
const SORTS = ["PRICE_ASC", "PRICE_ASC", "PRICE_ASC", "PRICE_ASC", "RATING_DESC", "RATING_DESC", "PRICE_DESC"];

/** One guest search, in the request's field names (enums without their prefix). */
export interface SearchSpec {
  destination?: string;
  near?: { latitude: number; longitude: number; radiusKm: number };
  checkIn?: string;
  checkOut?: string;
  adults: number;
  children: number;
  price?: { currency: string; min?: number; max?: number };
  types: string[];
  amenities: string[];
  minRating: number;
  freeCancellationOnly: boolean;
  /** SearchSort without its prefix; undefined leaves the default (relevance). */
  sort?: string;
  /** Ask for the second page (the token comes from fetching the first). */
  secondPage: boolean;
  pageToken?: string;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
function weighted<T>(r: Rand, xs: readonly T[], weight: (x: T) => number): T {
  let x = r() * xs.reduce((s, v) => s + weight(v), 0);
  for (const v of xs) {
    x -= weight(v);
    if (x < 0) return v;
  }
  return xs[xs.length - 1]!;
}
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * One random search: 80% a city by name, 20% a circle of 2-10 km around a point near a city
 * centre; 90% with dates (check-in 2-120 days ahead, nearer dates likelier, 1-4 nights); 1-3
 * adults, sometimes a child; each filter on a minority of searches; mostly relevance order;
 * 10% for the second page (only when `secondPages`).
 */
export function randomSearch(r: Rand, today: string, secondPages: boolean): SearchSpec {
  const city = weighted(r, CITIES, (x) => x.weight);
  const s: SearchSpec = { adults: weighted(r, [1, 2, 3], (n) => [25, 60, 15][n - 1]!), children: r() < 0.1 ? 1 : 0, types: [], amenities: [], minRating: 0, freeCancellationOnly: false, secondPage: false };
  if (r() < 0.8) s.destination = city.name;
  else {
    // Within ~3 km of the centre; coordinates rounded as a map client would send them.
    const lat = city.latitude + (r() - 0.5) * 0.05;
    const lng = city.longitude + ((r() - 0.5) * 0.05) / Math.cos((city.latitude * Math.PI) / 180);
    s.near = { latitude: Math.round(lat * 1e4) / 1e4, longitude: Math.round(lng * 1e4) / 1e4, radiusKm: pick(r, [2, 3, 5, 10]) };
  }
  if (r() < 0.9) {
    s.checkIn = addDays(today, 2 + Math.floor(r() ** 1.7 * 118));
    s.checkOut = addDays(s.checkIn, weighted(r, [1, 2, 3, 4], (n) => [35, 35, 20, 10][n - 1]!));
  }
  if (r() < 0.15) {
    const min = r() < 0.5 ? Math.round((city.typical * (0.3 + r() * 0.4)) / 100) * 100 : undefined;
    s.price = { currency: city.currency, min, max: Math.round((city.typical * (1 + r())) / 100) * 100 };
  }
  if (r() < 0.15) s.types = [...new Set([pick(r, city.types), ...(r() < 0.4 ? [pick(r, city.types)] : [])])];
  if (r() < 0.15) s.amenities = [...new Set([pick(r, AMENITIES), ...(r() < 0.3 ? [pick(r, AMENITIES)] : [])])];
  if (r() < 0.1) s.minRating = pick(r, [3.5, 4, 4.5]);
  if (r() < 0.1) s.freeCancellationOnly = true;
  const sortDraw = r();
  if (s.near && sortDraw < 0.3) s.sort = "DISTANCE_ASC";
  else if (sortDraw > 0.65) s.sort = pick(r, SORTS);
  else if (sortDraw > 0.6) s.sort = "RELEVANCE";
  s.secondPage = secondPages && r() < 0.1;
  return s;
}

/** The REST query string of a search (GET /api/v1/accommodations:search), proto field names. */
export function queryString(s: SearchSpec): string {
  const q = new URLSearchParams();
  if (s.destination) q.append("destination", s.destination);
  if (s.near) {
    q.append("near.center.latitude", String(s.near.latitude));
    q.append("near.center.longitude", String(s.near.longitude));
    q.append("near.radius_km", String(s.near.radiusKm));
  }
  if (s.checkIn && s.checkOut) {
    q.append("check_in", s.checkIn);
    q.append("check_out", s.checkOut);
  }
  q.append("adults", String(s.adults));
  if (s.children > 0) q.append("children", String(s.children));
  if (s.price?.min !== undefined) {
    q.append("min_nightly_price.amount_minor", String(s.price.min));
    q.append("min_nightly_price.currency_code", s.price.currency);
  }
  if (s.price?.max !== undefined) {
    q.append("max_nightly_price.amount_minor", String(s.price.max));
    q.append("max_nightly_price.currency_code", s.price.currency);
  }
  for (const t of s.types) q.append("property_types", `PROPERTY_TYPE_${t}`);
  for (const a of s.amenities) q.append("amenities", `AMENITY_${a}`);
  if (s.minRating > 0) q.append("min_rating", String(s.minRating));
  if (s.freeCancellationOnly) q.append("free_cancellation_only", "true");
  if (s.sort) q.append("sort", `SEARCH_SORT_${s.sort}`);
  if (s.pageToken) q.append("page_token", s.pageToken);
  return q.toString();
}

/** `count` distinct searches (distinct first pages), drawn from seed `seed`. */
export function distinctSearches(count: number, seed: number, today: string, secondPages: boolean): SearchSpec[] {
  const r = rng(seed);
  const seen = new Set<string>();
  const out: SearchSpec[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const s = randomSearch(r, today, secondPages);
    const key = `${queryString(s)}|${s.secondPage}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/**
 * A popularity order over `n` items: item k (0-based) is drawn with weight 1/(k+1)^exponent
 * (Zipf), so a few searches are very common and most are rare, as on a real site.
 */
export function zipfSampler(n: number, exponent: number, seed: number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / (k + 1) ** exponent;
    cumulative.push(total);
  }
  const r = rng(seed);
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
