import type { RouteInfo } from "../transcoder/route-info.js";
import type { RouteClass } from "./budgets.js";

// The RPCs that cost the most per call, by full name: a search walks prices over many nights
// and properties; a booking runs a saga across three services; the login routes run a
// memory-hard password hash (or a provider round trip) and are what credential stuffing hits.
const CLASSES: ReadonlyMap<string, RouteClass> = new Map([
  ["triphub.accommodation.v1.AccommodationService.SearchAccommodations", "search"],
  ["triphub.reservation.v1.ReservationService.CreateReservation", "booking"],
  ["triphub.auth.v1.AuthService.Login", "login"],
  ["triphub.auth.v1.AuthService.SignUp", "login"],
  ["triphub.auth.v1.AuthService.RefreshToken", "login"],
  ["triphub.auth.v1.AuthService.CompleteOAuthLogin", "login"],
  ["triphub.auth.v1.AuthService.LinkOAuthAccount", "login"],
]);

/** The budgets `route` is counted against. */
export function routeClassOf(route: RouteInfo): RouteClass {
  return CLASSES.get(`${route.service.typeName}.${route.method.name}`) ?? "default";
}
