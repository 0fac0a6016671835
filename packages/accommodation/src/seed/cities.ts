/** A place the demo catalogue puts properties in, with what is typical there. */
export interface SeedCity {
  city: string;
  region: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  currency: string;
  /** A typical double room per night, in minor units of `currency`. */
  typicalNightlyMinor: number;
  /** Relative share of the catalogue. */
  weight: number;
  /** Street names for addresses. */
  streets: readonly string[];
}

const kr = (city: string, region: string, latitude: number, longitude: number, weight: number, krw: number, streets: string[]): SeedCity => ({
  city, region, countryCode: "KR", latitude, longitude, timeZone: "Asia/Seoul", currency: "KRW", typicalNightlyMinor: krw, weight, streets,
});

/** Korean cities first (most of the catalogue), then world cities in their own currencies. */
export const SEED_CITIES: readonly SeedCity[] = [
  kr("Seoul", "Seoul", 37.5665, 126.978, 20, 130_000, ["Jong-ro", "Itaewon-ro", "Bukchon-ro", "Hongik-ro", "Gangnam-daero", "Eulji-ro"]),
  kr("Busan", "Busan", 35.1796, 129.0756, 10, 110_000, ["Haeundae-ro", "Gwangalli-ro", "Jungang-daero", "Dalmaji-gil"]),
  kr("Jeju", "Jeju", 33.4996, 126.5312, 9, 140_000, ["Yongdam-ro", "Tapdong-ro", "Aewol-ro", "Hallim-ro"]),
  kr("Seogwipo", "Jeju", 33.2541, 126.56, 5, 150_000, ["Jungmun-ro", "Chilsimni-ro", "Namwon-ro"]),
  kr("Gyeongju", "Gyeongsangbuk-do", 35.8562, 129.2247, 4, 90_000, ["Poseok-ro", "Bomun-ro", "Cheomseong-ro"]),
  kr("Jeonju", "Jeollabuk-do", 35.8242, 127.148, 3, 80_000, ["Eojin-gil", "Taejo-ro", "Hyeonmu-gil"]),
  kr("Gangneung", "Gangwon-do", 37.7519, 128.8761, 3, 100_000, ["Gyeongpo-ro", "Anmok-gil", "Changhae-ro"]),
  kr("Sokcho", "Gangwon-do", 38.207, 128.5918, 2, 95_000, ["Haeoreum-ro", "Seorak-ro", "Cheongho-ro"]),
  kr("Incheon", "Incheon", 37.4563, 126.7052, 3, 100_000, ["Songdo-daero", "Wolmi-ro", "Chinatown-ro"]),
  kr("Yeosu", "Jeollanam-do", 34.7604, 127.6622, 2, 105_000, ["Odongdo-ro", "Dolsan-ro", "Jungang-ro"]),
  kr("Andong", "Gyeongsangbuk-do", 36.5684, 128.7294, 1, 75_000, ["Hahoe-ro", "Munhwa-gwangjang-gil"]),
  { city: "Tokyo", region: "Tokyo", countryCode: "JP", latitude: 35.6762, longitude: 139.6503, timeZone: "Asia/Tokyo", currency: "JPY", typicalNightlyMinor: 18_000, weight: 6, streets: ["Shibuya", "Asakusa", "Shinjuku", "Ginza"] },
  { city: "Osaka", region: "Osaka", countryCode: "JP", latitude: 34.6937, longitude: 135.5023, timeZone: "Asia/Tokyo", currency: "JPY", typicalNightlyMinor: 14_000, weight: 3, streets: ["Namba", "Umeda", "Shinsaibashi"] },
  { city: "Kyoto", region: "Kyoto", countryCode: "JP", latitude: 35.0116, longitude: 135.7681, timeZone: "Asia/Tokyo", currency: "JPY", typicalNightlyMinor: 22_000, weight: 3, streets: ["Gion", "Higashiyama", "Arashiyama"] },
  { city: "Taipei", region: "Taipei", countryCode: "TW", latitude: 25.033, longitude: 121.5654, timeZone: "Asia/Taipei", currency: "TWD", typicalNightlyMinor: 320_000, weight: 2, streets: ["Zhongshan Rd", "Xinyi Rd", "Dihua St"] },
  { city: "Bangkok", region: "Bangkok", countryCode: "TH", latitude: 13.7563, longitude: 100.5018, timeZone: "Asia/Bangkok", currency: "THB", typicalNightlyMinor: 250_000, weight: 2, streets: ["Sukhumvit Rd", "Silom Rd", "Khao San Rd"] },
  { city: "Singapore", region: "Singapore", countryCode: "SG", latitude: 1.3521, longitude: 103.8198, timeZone: "Asia/Singapore", currency: "SGD", typicalNightlyMinor: 22_000, weight: 2, streets: ["Orchard Rd", "Beach Rd", "Tanjong Pagar Rd"] },
  { city: "New York", region: "New York", countryCode: "US", latitude: 40.7128, longitude: -74.006, timeZone: "America/New_York", currency: "USD", typicalNightlyMinor: 24_000, weight: 3, streets: ["Broadway", "5th Ave", "Bleecker St"] },
  { city: "San Francisco", region: "California", countryCode: "US", latitude: 37.7749, longitude: -122.4194, timeZone: "America/Los_Angeles", currency: "USD", typicalNightlyMinor: 21_000, weight: 2, streets: ["Market St", "Valencia St", "Lombard St"] },
  { city: "Paris", region: "Île-de-France", countryCode: "FR", latitude: 48.8566, longitude: 2.3522, timeZone: "Europe/Paris", currency: "EUR", typicalNightlyMinor: 19_000, weight: 3, streets: ["Rue de Rivoli", "Boulevard Saint-Germain", "Rue Oberkampf"] },
  { city: "Barcelona", region: "Catalonia", countryCode: "ES", latitude: 41.3874, longitude: 2.1686, timeZone: "Europe/Madrid", currency: "EUR", typicalNightlyMinor: 15_000, weight: 2, streets: ["La Rambla", "Carrer de Mallorca", "Passeig de Gràcia"] },
  { city: "Rome", region: "Lazio", countryCode: "IT", latitude: 41.9028, longitude: 12.4964, timeZone: "Europe/Rome", currency: "EUR", typicalNightlyMinor: 16_000, weight: 2, streets: ["Via del Corso", "Via Nazionale", "Via Margutta"] },
  { city: "London", region: "England", countryCode: "GB", latitude: 51.5072, longitude: -0.1276, timeZone: "Europe/London", currency: "GBP", typicalNightlyMinor: 17_000, weight: 3, streets: ["Baker St", "King's Rd", "Brick Ln"] },
  { city: "Sydney", region: "New South Wales", countryCode: "AU", latitude: -33.8688, longitude: 151.2093, timeZone: "Australia/Sydney", currency: "AUD", typicalNightlyMinor: 26_000, weight: 2, streets: ["George St", "Oxford St", "Campbell Pde"] },
];
