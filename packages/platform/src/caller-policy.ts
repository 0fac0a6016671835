import { isIP } from "node:net";
import { type DescMethod, getOption, hasOption } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { callers, edge, http } from "@triphub/contracts";
import { identityKey } from "./auth.js";
import { peerServiceKey } from "./peer-identity.js";
import { requestInfoKey } from "./request-context.js";
import { SERVICE_TOKEN_HEADER, type ServiceTokenVerifier } from "./service-token.js";

/** The request header in which the gateway passes on the address of the client it served. */
export const CLIENT_IP_HEADER = "x-client-ip";

/** The service identity the gateway calls with; only its {@link CLIENT_IP_HEADER} is believed. */
export const GATEWAY_SERVICE = "gateway";

/** Context key of the calling service's name (from its service token or mTLS peer); undefined for users and anonymous callers. */
export const callerServiceKey = createContextKey<string | undefined>(undefined, { description: "caller service" });

// Served by the chassis itself and probed by orchestrators, which hold no service identity.
const OPEN_SERVICES = new Set(["grpc.health.v1.Health"]);

/** Who may call a method: anyone (it has a REST route or is the health service), or the listed services and users with the listed roles. */
type Policy = { internal: false } | { internal: true; services: ReadonlySet<string>; roles: ReadonlySet<string> };
const policies = new WeakMap<DescMethod, Policy>();

function policyOf(method: DescMethod): Policy {
  let p = policies.get(method);
  if (!p) {
    const internal = !OPEN_SERVICES.has(method.parent.typeName) && !hasOption(method, http);
    const declared = hasOption(method, callers) ? getOption(method, callers) : undefined;
    p = internal ? { internal, services: new Set(declared?.services ?? []), roles: new Set(declared?.roles ?? []) } : { internal };
    policies.set(method, p);
  }
  return p;
}

/** Whether anyone may call `method` without credentials: its edge policy says public, or the chassis serves it (health). */
export const isPublicMethod = (method: DescMethod): boolean =>
  OPEN_SERVICES.has(method.parent.typeName) || (hasOption(method, edge) && getOption(method, edge).public);

/** Whether `method` is internal (no REST route), and so callable only by the services its `callers` option lists. */
export const isInternal = (method: DescMethod): boolean => policyOf(method).internal;

function notAllowed(method: DescMethod, policy: Policy & { internal: true }): ConnectError {
  const who = [
    ...(policy.services.size > 0 ? [[...policy.services].join(", ")] : []),
    ...(policy.roles.size > 0 ? [`a user with the role ${[...policy.roles].join(" or ")}`] : []),
  ];
  return new ConnectError(`${method.name} is internal: ${who.length > 0 ? `only ${who.join(", or ")} may call it` : "no caller is allowed"}`, Code.PermissionDenied);
}

/**
 * The second half of the caller policy, after authentication: an internal RPC called without a
 * service identity answers only a verified user holding one of the roles its `callers` option
 * names. Without a user verifier no identity is ever set, so such calls are refused.
 */
export function internalRoleInterceptor(): Interceptor {
  return (next) => async (req) => {
    const policy = policyOf(req.method);
    if (policy.internal && req.contextValues.get(callerServiceKey) === undefined) {
      const roles = req.contextValues.get(identityKey)?.roles ?? [];
      if (!roles.some((r) => policy.roles.has(r))) throw notAllowed(req.method, policy);
    }
    return next(req);
  };
}

/**
 * Service identities and internal RPCs, for every call. The caller's service identity comes
 * from its service token (`x-service-token`) or its mTLS peer certificate. An internal RPC (one
 * without a google.api.http rule) answers only the services its `triphub.options.v1.callers`
 * option lists (or, when it names roles, users holding one: see {@link internalRoleInterceptor});
 * anyone else, another user's token or no credential at all, is PERMISSION_DENIED, on the
 * service's own port too. Only the gateway's identity makes the client address it passes on
 * (`x-client-ip`) believed: from anyone else the header is ignored.
 */
export function callerPolicyInterceptor(verify: ServiceTokenVerifier | undefined): Interceptor {
  return (next) => async (req) => {
    const token = req.header.get(SERVICE_TOKEN_HEADER);
    let caller = req.contextValues.get(peerServiceKey);
    if (token) {
      if (!verify) throw new ConnectError("this service accepts no service tokens", Code.Unauthenticated);
      try {
        caller = await verify(token);
      } catch (e) {
        throw new ConnectError("invalid or expired service token", Code.Unauthenticated, undefined, undefined, e);
      }
    }
    const policy = policyOf(req.method);
    const listed = caller !== undefined && policy.internal && (policy.services.has(caller) || policy.services.has("*"));
    // A user's token is checked after this (auth, then internalRoleInterceptor): here it only
    // gets past when the RPC names roles at all.
    const mayBeUser = caller === undefined && policy.internal && policy.roles.size > 0 && req.header.has("authorization");
    if (policy.internal && !listed && !mayBeUser) throw notAllowed(req.method, policy);

    if (caller !== undefined) {
      req.contextValues.set(callerServiceKey, caller);
      if (caller === GATEWAY_SERVICE) {
        const ip = req.header.get(CLIENT_IP_HEADER)?.trim();
        const info = req.contextValues.get(requestInfoKey);
        if (ip && isIP(ip) && info) info.clientIp = ip;
      }
    }
    return next(req);
  };
}
