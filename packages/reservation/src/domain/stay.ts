// The parts of a booking that describe the stay itself: who comes, how to reach them and what
// it costs. Shapes of the contract's common messages, as plain data.
import type { Money } from "./money.js";

/** The party staying. */
export interface Guests {
  adults: number;
  /** Guests under 18. */
  children: number;
}

/** How to reach the guest about a stay (personal data: never logged). */
export interface GuestContact {
  fullName: string;
  email: string;
  /** E.164, or "" when not given. */
  phone: string;
}

/** The price of one night of ONE unit. */
export interface NightlyPrice {
  /** YYYY-MM-DD in the property's time zone. */
  date: string;
  price: Money;
}

/** What a stay costs, as accommodation priced it when the rooms were held. */
export interface StayPrice {
  /** One per night from check-in, in date order. */
  nights: NightlyPrice[];
  /** Identical units booked; every night is paid once per unit. */
  units: number;
  /** The sum of the nightly prices times units: what is charged. */
  total: Money;
  /** For display. */
  averageNightly: Money;
}
