import { idOf, isMap, type JsonMap, type Manifest } from "./manifest.js";

/** A pod as the policies see it: its namespace, labels and, in the mesh, its service account. */
export interface Pod {
  namespace: string;
  labels: Record<string, string>;
  serviceAccount?: string;
}

/**
 * Whether Kubernetes' NetworkPolicies let `from` open a TCP connection to `to` on `port`: the
 * egress side (policies selecting `from`) and the ingress side (policies selecting `to`) must
 * both allow it; a pod no policy of a direction selects is open in that direction. Covers what
 * the manifests use (matchLabels, namespaceSelector on kubernetes.io/metadata.name, numeric
 * ports); anything else throws rather than being guessed.
 */
export function networkAllows(policies: Manifest[], from: Pod, to: Pod, port: number): boolean {
  const side = (pod: Pod, type: "Ingress" | "Egress", peer: Pod) => {
    const selecting = policies.filter((p) => p.metadata.namespace === pod.namespace && selects(spec(p).podSelector, pod.labels, idOf(p)) && types(p).includes(type));
    if (selecting.length === 0) return true;
    const key = type === "Ingress" ? "ingress" : "egress";
    const peerKey = type === "Ingress" ? "from" : "to";
    return selecting.some((p) =>
      asList(spec(p)[key]).some((rule) => {
        if (!isMap(rule)) return false;
        const peers = asList(rule[peerKey]);
        const ports = asList(rule.ports);
        const peerOk = peers.length === 0 || peers.some((x) => peerMatches(x, peer, pod.namespace, idOf(p)));
        const portOk = ports.length === 0 || ports.some((x) => isMap(x) && (x.protocol ?? "TCP") === "TCP" && x.port === port);
        return peerOk && portOk;
      }),
    );
  };
  return side(from, "Egress", to) && side(to, "Ingress", from);
}

/**
 * Whether Istio's AuthorizationPolicies (ALLOW only) let a caller with mesh identity `principal`
 * reach `to` on `port`: some ALLOW policy selecting `to` (or the whole namespace) has a rule
 * whose source names the principal and whose operation admits the port. DENY and CUSTOM policies
 * throw: this check does not model them.
 */
export function meshAllows(policies: Manifest[], principal: string, to: Pod, port: number): boolean {
  return policies
    .filter((p) => p.metadata.namespace === to.namespace)
    .filter((p) => {
      const action = spec(p).action ?? "ALLOW";
      if (action !== "ALLOW") throw new Error(`${idOf(p)}: action ${String(action)} is not modelled`);
      const selector = spec(p).selector;
      return selector === undefined || selects(selector, to.labels, idOf(p));
    })
    .some((p) =>
      asList(spec(p).rules).some((rule) => {
        if (!isMap(rule)) return false;
        const sources = asList(rule.from).map((f) => (isMap(f) && isMap(f.source) ? f.source : {}));
        const operations = asList(rule.to).map((t) => (isMap(t) && isMap(t.operation) ? t.operation : {}));
        const sourceOk = sources.length === 0 || sources.some((s) => asList(s.principals).some((x) => principalMatches(String(x), principal)));
        const portOk = operations.length === 0 || operations.some((o) => o.ports === undefined || asList(o.ports).includes(String(port)));
        return sourceOk && portOk;
      }),
    );
}

/** The mesh identity Istio gives a pod's workload: its service account's SPIFFE name. */
export const principalOf = (pod: Pod): string => `cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount ?? "default"}`;

// Istio's principal match: exact, `*`, or a prefix/suffix with one `*`.
function principalMatches(pattern: string, principal: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) return principal.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return principal.startsWith(pattern.slice(0, -1));
  return pattern === principal;
}

const spec = (p: Manifest): JsonMap => (isMap(p.spec) ? p.spec : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const types = (p: Manifest): string[] => {
  const declared = asList(spec(p).policyTypes).map(String);
  return declared.length > 0 ? declared : ["Ingress", ...(spec(p).egress !== undefined ? ["Egress"] : [])];
};

function selects(selector: unknown, labels: Record<string, string>, where: string): boolean {
  if (!isMap(selector)) return false;
  for (const key of Object.keys(selector)) if (key !== "matchLabels") throw new Error(`${where}: selector field ${key} is not modelled`);
  const match = isMap(selector.matchLabels) ? selector.matchLabels : {};
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}

function peerMatches(peer: unknown, pod: Pod, policyNamespace: string, where: string): boolean {
  if (!isMap(peer)) return false;
  for (const key of Object.keys(peer)) if (key !== "podSelector" && key !== "namespaceSelector") throw new Error(`${where}: peer field ${key} is not modelled`);
  const nsOk =
    peer.namespaceSelector === undefined
      ? pod.namespace === policyNamespace
      : selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": pod.namespace }, where);
  const podOk = peer.podSelector === undefined || selects(peer.podSelector, pod.labels, where);
  return nsOk && podOk;
}
