// The demo accounts of `npm start`, generated deterministically: reviewers who fill the demo
// history (they never sign in) and the one demo guest a newcomer signs in as.
import { seededRandom, uuidFromName } from "@triphub/platform";
import { type LocaleNames, REVIEWER_LOCALES } from "./reviewer-names.js";

/** A demo account before it is stored. */
export interface DemoUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
}

/** The demo guest's email: what the devstack tells a newcomer to sign in with. */
export const DEMO_GUEST_EMAIL = "guest@demo.triphub.test";

/** The domain of the reviewers' emails (`reviewer-001@…`); `.test` is reserved, so no mail goes anywhere. */
export const REVIEWER_EMAIL_DOMAIN = "reviewers.demo.triphub.test";

/** The demo guest account (its password is the devstack's, see seedDemoUsers). */
export function demoGuest(seed: number): DemoUser {
  return { id: uuidFromName(`triphub-demo/${seed}/guest`), email: DEMO_GUEST_EMAIL, displayName: "Demo Guest", locale: "en-US" };
}

const TOTAL_WEIGHT = REVIEWER_LOCALES.reduce((s, l) => s + l.weight, 0);

function pickLocale(r: () => number): LocaleNames {
  let x = r() * TOTAL_WEIGHT;
  for (const l of REVIEWER_LOCALES) {
    x -= l.weight;
    if (x < 0) return l;
  }
  return REVIEWER_LOCALES[REVIEWER_LOCALES.length - 1];
}

/**
 * Reviewers 1..count of `seed`: a locale drawn by weight and a name written as that locale
 * writes it. Reviewer n is the same whatever `count` is.
 */
export function demoReviewers(count: number, seed: number): DemoUser[] {
  return Array.from({ length: count }, (_, i) => {
    const r = seededRandom((seed * 1_000_003 + i) >>> 0);
    const l = pickLocale(r);
    const given = l.given[Math.floor(r() * l.given.length)];
    const family = l.family[Math.floor(r() * l.family.length)];
    const n = String(i + 1).padStart(3, "0");
    return {
      id: uuidFromName(`triphub-demo/${seed}/reviewer/${i}`),
      email: `reviewer-${n}@${REVIEWER_EMAIL_DOMAIN}`,
      displayName: l.format(given, family),
      locale: l.locale,
    };
  });
}
