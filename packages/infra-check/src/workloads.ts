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

/**
 * A container's environment as the kubelet sets it: the ConfigMaps of `envFrom` first, then
 * `env` (plain values and ConfigMap keys), later entries overriding earlier ones. Values from
 * Secrets are not in Git and are left out. A ConfigMap or key that is not in `manifests` (and
 * not marked optional) throws: the pod would not start.
 */
export function resolvedEnv(manifests: Manifest[], container: JsonMap, namespace?: string): Map<string, string> {
  const configMap = (name: unknown, optional: unknown): JsonMap | undefined => {
    const m = manifests.find((x) => x.kind === "ConfigMap" && x.metadata.name === name && x.metadata.namespace === namespace);
    if (!m && optional !== true) throw new Error(`container ${String(container.name)}: ConfigMap ${String(name)} is not in the render`);
    return m && isMap(m.data) ? m.data : {};
  };
  const out = new Map<string, string>();
  for (const from of Array.isArray(container.envFrom) ? container.envFrom.filter(isMap) : []) {
    if (!isMap(from.configMapRef)) continue;
    const prefix = typeof from.prefix === "string" ? from.prefix : "";
    for (const [k, v] of Object.entries(configMap(from.configMapRef.name, from.configMapRef.optional) ?? {})) out.set(`${prefix}${k}`, String(v));
  }
  for (const e of Array.isArray(container.env) ? container.env.filter(isMap) : []) {
    const name = String(e.name);
    if (typeof e.value === "string") out.set(name, e.value);
    else if (isMap(e.valueFrom) && isMap(e.valueFrom.configMapKeyRef)) {
      const ref = e.valueFrom.configMapKeyRef;
      const value = configMap(ref.name, ref.optional)?.[String(ref.key)];
      if (value === undefined && ref.optional !== true) throw new Error(`container ${String(container.name)}: ConfigMap ${String(ref.name)} has no key ${String(ref.key)}`);
      if (value !== undefined) out.set(name, String(value));
    } else out.delete(name); // from a Secret: set, but not known here
  }
  return out;
}
