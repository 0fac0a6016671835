import type { DescService } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import {
  type BalancedTransport,
  type BalancedTransportOptions,
  type ClientTls,
  ConfigError,
  clientTlsFor,
  createBalancedTransport,
  parseServiceAddress,
  type ResolvedTarget,
  type ServiceAddress,
  staticResolver,
  targetOf,
} from "@triphub/platform";
import { createUpstreamTransport } from "./transcoder/index.js";

/** The client-facing services the gateway can route to, by the short name used in UPSTREAMS. */
export const ROUTABLE: Record<string, DescService> = {
  auth: AuthService,
  accommodation: AccommodationService,
  reservation: ReservationService,
  payment: PaymentService,
  review: ReviewService,
};

/** A backend the gateway calls: its service and where its instances are found. */
export interface Upstream {
  name: string;
  service: DescService;
  address: ServiceAddress;
}

/**
 * Parses UPSTREAMS (`auth=http://127.0.0.1:7101,accommodation=http://a:7102|http://b:7102`):
 * entries separated by commas, each a service and where its instances are: base URLs separated
 * by `|`, `registry:///<service>` or `dns:///<host>:<port>`. Only services listed are routed, so
 * a service that is not deployed yet is a clean 404, not a 503 on every call.
 */
export function parseUpstreams(spec: string): Upstream[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf("=");
      const name = entry.slice(0, Math.max(at, 0)).trim();
      const service = ROUTABLE[name];
      let address: ServiceAddress | undefined;
      try {
        address = parseServiceAddress(entry.slice(at + 1), "|");
      } catch {
        address = undefined;
      }
      if (at <= 0 || !service || !address) {
        throw new ConfigError(
          `invalid configuration:\n  UPSTREAMS entry "${entry}" must be <service>=<http(s) URL>[|<http(s) URL>...], <service>=registry:///<name> or <service>=dns:///<host>:<port>, with service one of ${Object.keys(ROUTABLE).join(", ")}`,
        );
      }
      return { name, service, address };
    });
}

/**
 * Where the instances of `upstream` are found: its fixed URLs, or the process's registry or DNS
 * resolver (see `targetOf`).
 */
export function upstreamTarget(upstream: Upstream): ResolvedTarget {
  const { address, name } = upstream;
  return address.kind === "urls" ? { resolver: staticResolver({ [name]: address.urls }), service: name } : targetOf(address);
}

/**
 * The transport to every instance of upstream `name`, through the platform's client-side
 * balancer: each instance over its own {@link upstreamTransport}; a read (or a write carrying its
 * idempotency key) an instance fails is tried on another within the call's deadline, and an
 * instance that keeps failing is ejected for a while.
 */
export function balancedUpstreamTransport(
  target: ResolvedTarget,
  protocol: UpstreamProtocol = "grpc",
  balancing: Pick<BalancedTransportOptions, "policy" | "ejection" | "maxAttempts"> = {},
): BalancedTransport {
  return createBalancedTransport({ ...balancing, ...target, transportFor: (url) => upstreamTransport(url, protocol) });
}

/** How the gateway calls backends: gRPC, or the Connect protocol with binary protobuf. */
export type UpstreamProtocol = "grpc" | "connect";

/**
 * The transport the gateway calls a backend with, over one HTTP/2 connection either way (every
 * service serves Connect, gRPC and gRPC-Web on its port). gRPC is the default, as the
 * architecture asks. Connect is the cheaper choice: a unary Connect call is a plain request and
 * response, with no envelope and no HTTP trailers, which saves the backend CPU on every call.
 * Codes, messages, error details, deadlines and response headers arrive the same
 * (test/upstreams.test.ts runs the same cases over both). An https backend is called with `tls`
 * (default: the process's client TLS): its certificate is checked against the platform's CA and
 * the gateway presents its own, which names it to the service (mTLS).
 */
export function upstreamTransport(baseUrl: string, protocol: UpstreamProtocol = "grpc", tls?: ClientTls): Transport & { close(): void } {
  switch (protocol) {
    case "grpc":
    case "connect":
      return createUpstreamTransport({ baseUrl, protocol, http2: clientTlsFor(baseUrl, tls) });
    default: {
      const unknown: never = protocol;
      throw new Error(`unknown upstream protocol ${String(unknown)}`);
    }
  }
}
