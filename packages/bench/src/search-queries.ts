// The query mix of the accommodation-search benchmark: deterministic guest searches over the
// seed catalogue's cities, drawn with the seed's own random numbers.
import { rng, SEED_CITIES } from "@triphub/accommodation";

/** A city of the seed catalogue, as far as searching it needs. */
interface City {
  name: string;
  latitude: number;
  longitude: number;
  currency: string;
  /** A typical double room per night in minor units (the seed's `typicalNightlyMinor`). */
  typical: number;
  /** Share of searches: the seed's share of the catalogue. */
  weight: number;
  /** Property types guests look for there. */
  types: readonly string[];
}

const KR = ["HOTEL", "GUESTHOUSE", "HANOK", "PENSION", "MOTEL", "RESORT", "APARTMENT", "HOSTEL", "GLAMPING"];
const JP = ["HOTEL", "RYOKAN", "HOSTEL", "APARTMENT", "GUESTHOUSE"];
const WORLD = ["HOTEL", "APARTMENT", "HOSTEL", "BED_AND_BREAKFAST", "VILLA", "HOUSE", "RESORT"];

/** The seed's cities: Korean first (most of the catalogue and of the searches), then world cities. */
export const CITIES: readonly City[] = SEED_CITIES.map((c) => ({
  name: c.city,
  latitude: c.latitude,
  longitude: c.longitude,
  currency: c.currency,
  typical: c.typicalNightlyMinor,
  weight: c.weight,
  types: c.countryCode === "KR" ? KR : c.countryCode === "JP" ? JP : WORLD,
}));

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
