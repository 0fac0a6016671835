// RouteInfo built by hand from the generated descriptors' google.api.http rules, so these tests
// do not depend on the transcoder (which produces the same list in production).
import { type DescService, getOption, hasOption } from "@bufbuild/protobuf";
import { edge, http } from "@triphub/contracts";
import type { HttpRule } from "@triphub/contracts/google/api/http_pb";
import type { RouteInfo } from "../../src/transcoder/route-info.js";

function binding(service: DescService, method: RouteInfo["method"], rule: HttpRule, bindingIndex: number): RouteInfo[] {
  const p = rule.pattern;
  if (p.case === undefined) return [];
  const [httpMethod, template] = p.case === "custom" ? [p.value.kind.toUpperCase(), p.value.path] : [p.case.toUpperCase(), p.value];
  return [
    {
      service,
      method,
      httpMethod,
      template,
      pathFields: [...template.matchAll(/\{([^}=]+)/g)].map((m) => m[1]),
      verb: /:([^/{}]+)$/.exec(template)?.[1],
      body: rule.body || undefined,
      responseBody: rule.responseBody || undefined,
      bindingIndex,
    },
  ];
}

/** Every REST binding (main rule and additional_bindings) of the given services. */
export function routesOf(...services: DescService[]): RouteInfo[] {
  return services.flatMap((service) =>
    service.methods.flatMap((method) => {
      if (!hasOption(method, http)) return [];
      const rule = getOption(method, http);
      return [rule, ...rule.additionalBindings].flatMap((r, i) => binding(service, method, r, i));
    }),
  );
}

/** The edge policy's `public` flag, as the gateway reads it. */
export const isPublicRoute = (route: RouteInfo): boolean => hasOption(route.method, edge) && getOption(route.method, edge).public;
