import { posix } from "node:path";
import { ConfigError, samplerFrom, tracingRequested } from "@triphub/platform";
import { collectorConfigProblems, envReferences, otlpHttpEndpoints, parseCollectorConfig } from "./collector-config.js";
import { isMap, type JsonMap, type Manifest } from "./manifest.js";
import { resolvedEnv, workloadOf } from "./workloads.js";

/**
 * What is wrong with how the service `name` traces in the rendered `manifests` of `environment`;
 * empty when nothing is. Its container's environment (ConfigMaps resolved) turns tracing on as
 * the chassis reads it (tracingRequested), names the service itself (OTEL_SERVICE_NAME), sends
 * to an OTLP endpoint that is a Service of the render on one of its ports, asks for a sampler the
 * chassis accepts (samplerFrom) and says its environment and namespace in the resource attributes.
 */
export function serviceTracingProblems(manifests: Manifest[], name: string, environment: string): string[] {
  const w = workloadOf(manifests, name);
  const env = resolvedEnv(manifests, w.container, w.pod.namespace);
  const problems: string[] = [];
  if (!tracingRequested(Object.fromEntries(env))) problems.push(`${name}: tracing is off (no OTLP endpoint, or turned off)`);
  if (env.get("OTEL_SERVICE_NAME") !== name) problems.push(`${name}: OTEL_SERVICE_NAME is ${String(env.get("OTEL_SERVICE_NAME"))}, not ${name}`);
  const endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (endpoint === undefined) problems.push(`${name}: no OTEL_EXPORTER_OTLP_ENDPOINT`);
  else if (!serviceAt(manifests, endpoint, w.pod.namespace)) problems.push(`${name}: OTEL endpoint ${endpoint} is no port of a Service in the render`);
  try {
    samplerFrom(Object.fromEntries(env));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(`${name}: the chassis refuses its sampler: ${e.message.replace(/\s+/g, " ")}`);
  }
  const attributes = new Map((env.get("OTEL_RESOURCE_ATTRIBUTES") ?? "").split(",").map((kv) => kv.split("=").map((x) => x.trim()) as [string, string]));
  if (attributes.get("deployment.environment.name") !== environment) problems.push(`${name}: OTEL_RESOURCE_ATTRIBUTES do not say deployment.environment.name=${environment}`);
  if (attributes.get("service.namespace") !== "triphub") problems.push(`${name}: OTEL_RESOURCE_ATTRIBUTES do not say service.namespace=triphub`);
  return problems;
}

/** The Service of `manifests` that `url` reaches from a pod in `namespace` (cluster DNS), when one of its ports is the URL's. */
export function serviceAt(manifests: Manifest[], url: string, namespace: string | undefined): Manifest | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  // <service>, <service>.<namespace>, or either followed by .svc[.cluster.local].
  const [host, ns = namespace, ...rest] = u.hostname.split(".");
  if (rest.length > 0 && !["svc", "svc.cluster.local"].includes(rest.join("."))) return undefined;
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  return manifests.find((m) => m.kind === "Service" && m.metadata.name === host && m.metadata.namespace === ns && servicePorts(m).some((p) => p.port === port));
}

const servicePorts = (m: Manifest): JsonMap[] => (isMap(m.spec) && Array.isArray(m.spec.ports) ? m.spec.ports.filter(isMap) : []);
const list = (v: unknown): JsonMap[] => (Array.isArray(v) ? v.filter(isMap) : []);

/**
 * What is wrong with the OpenTelemetry Collector behind the Service `name`: the Deployment its
 * selector picks reads its configuration from a mounted ConfigMap (`--config=<file>`), that
 * configuration passes {@link collectorConfigProblems}, every variable it reads is set in the
 * container, and every port of the Service reaches an OTLP/HTTP receiver listening beyond localhost.
 */
export function collectorProblems(manifests: Manifest[], name: string): string[] {
  const service = manifests.find((m) => m.kind === "Service" && m.metadata.name === name);
  if (!service || !isMap(service.spec) || !isMap(service.spec.selector)) return [`${name}: no Service with a selector`];
  const selector = service.spec.selector;
  const deployment = manifests.find((m) => {
    if (m.kind !== "Deployment" || m.metadata.namespace !== service.metadata.namespace) return false;
    const labels = (m.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
  if (!deployment) return [`${name}: its Service selects no Deployment`];
  const w = workloadOf(manifests, deployment.metadata.name);
  const c = w.container;
  const args = Array.isArray(c.args) ? c.args.map(String) : [];
  const file = args.find((a) => a.startsWith("--config="))?.slice("--config=".length);
  if (!file) return [`${name}: the collector is not started with --config=<file>`];
  const mount = list(c.volumeMounts).find((m) => typeof m.mountPath === "string" && file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
  const volume = list(w.podSpec.volumes).find((v) => v.name === mount?.name);
  const mapName = isMap(volume?.configMap) ? volume.configMap.name : undefined;
  const configMap = manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name === mapName && m.metadata.namespace === service.metadata.namespace);
  const key = mount ? posix.relative(String(mount.mountPath), file) : "";
  const text = isMap(configMap?.data) ? configMap.data[key] : undefined;
  if (typeof text !== "string") return [`${name}: ${file} is not a key of a ConfigMap mounted in the collector`];

  const where = `ConfigMap/${String(mapName)} ${key}`;
  const parsed = parseCollectorConfig(text, where);
  if (!parsed.config) return parsed.problems;
  const problems = collectorConfigProblems(parsed.config, where);
  const env = resolvedEnv(manifests, c, w.pod.namespace);
  for (const v of envReferences(text)) if (!env.has(v)) problems.push(`${where}: reads \${env:${v}}, which the collector's container does not set`);
  const listening = otlpHttpEndpoints(parsed.config);
  const containerPorts = list(c.ports);
  for (const p of servicePorts(service)) {
    const target = typeof p.targetPort === "string" ? containerPorts.find((x) => x.name === p.targetPort)?.containerPort : (p.targetPort ?? p.port);
    const ok = listening.some((l) => Number(l.split(":").at(-1)) === target && !/^(localhost|127\.)/.test(l));
    if (!ok) problems.push(`${name}: its Service port ${String(p.port)} reaches ${String(target)}, where no OTLP/HTTP receiver listens (${listening.join(", ") || "none"})`);
  }
  return problems;
}
