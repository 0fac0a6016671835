import { metricCounter, metricHistogram } from "@triphub/platform";
import type { FastifyInstance } from "fastify";
import { notesOf } from "./access-log.js";

const requests = metricCounter({
  name: "triphub_gateway_requests_total",
  help: "HTTP requests the gateway answered, by route template, method and status class (2xx, 4xx, 5xx...).",
  labelNames: ["route", "method", "status_class"],
});
const duration = metricHistogram({
  name: "triphub_gateway_request_duration_seconds",
  help: "Time the gateway took to answer, by route template and method.",
  labelNames: ["route", "method"],
});

// Fastify's routes are few and fixed; anything else is a method Fastify does not know.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Counts and times every request by its route template (e.g. `/api/v1/reservations/{reservation_id}`),
 * never the raw path, which carries ids and whatever a client sends: a request no route matched
 * is counted as "unmatched".
 */
export function registerRouteMetrics(app: FastifyInstance): void {
  app.addHook("onResponse", (req, reply, done) => {
    const transcoded = notesOf(req.raw).route;
    const route = transcoded ? transcoded.slice(transcoded.indexOf(" ") + 1) : reply.statusCode === 404 || !req.routeOptions.url ? "unmatched" : req.routeOptions.url;
    const method = METHODS.has(req.method) ? req.method : "OTHER";
    requests.inc({ route, method, status_class: `${Math.floor(reply.statusCode / 100)}xx` });
    duration.observe({ route, method }, reply.elapsedTime / 1000);
    done();
  });
}
