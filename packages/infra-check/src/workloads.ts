import { isMap, type JsonMap, type Manifest } from "./manifest.js";
import type { Pod } from "./network-flows.js";

/** A service's Deployment in rendered manifests, with the parts the checks read. */
export interface Workload {
  name: string;
  deployment: Manifest;
  pod: Pod;
  container: JsonMap;
  podSpec: JsonMap;
}

/** The Deployment named `name` and its pod, or throws. */
export function workloadOf(manifests: Manifest[], name: string): Workload {
  const deployment = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === name);
  if (!deployment) throw new Error(`no Deployment ${name}`);
  const template = path(deployment, ["spec", "template"]);
  const podSpec = path(template, ["spec"]);
  const containers = (podSpec.containers as unknown[]).filter(isMap);
  const container = containers.find((c) => c.name === name) ?? containers[0];
  return {
    name,
    deployment,
    podSpec,
    container,
    pod: {
      namespace: deployment.metadata.namespace ?? "default",
      labels: path(template, ["metadata", "labels"]) as Record<string, string>,
      serviceAccount: podSpec.serviceAccountName as string | undefined,
    },
  };
}

/** A container's environment variables given as plain values. */
export function plainEnv(container: JsonMap): Map<string, string> {
  const env = Array.isArray(container.env) ? container.env.filter(isMap) : [];
  return new Map(env.filter((e) => typeof e.value === "string").map((e) => [String(e.name), String(e.value)]));
}

/** The object at `keys` under `v`, or throws naming the path. */
export function path(v: unknown, keys: string[]): JsonMap {
  let at = v;
  for (const key of keys) {
    if (!isMap(at) || !isMap(at[key])) throw new Error(`missing ${keys.join(".")}`);
    at = at[key];
  }
  return at as JsonMap;
}
