/** The region subtag of a BCP 47 tag as a country code ("ko-KR" → "KR", "zh-Hant-TW" → "TW"); "" when it has none. */
export function countryOfLocale(locale: string): string {
  const region = locale
    .split(/[-_]/)
    .slice(1)
    .find((part) => /^[A-Za-z]{2}$/.test(part));
  return region ? region.toUpperCase() : "";
}
