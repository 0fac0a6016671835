// Traces on Kubernetes and in compose: every service names itself, sends to a collector that
// exists and samples as its environment says with values the chassis accepts; the collector's
// configuration receives OTLP, batches and exports; only the services reach it, on 4318.
import { readFileSync } from "node:fs";
import { samplerFrom, tracingRequested } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { collectorConfigProblems, otlpHttpEndpoints, parseCollectorConfig } from "../src/collector-config.js";
import { idOf, type JsonMap, type Manifest } from "../src/manifest.js";
import { meshAllows, networkAllows, type Pod, principalOf } from "../src/network-flows.js";
import { collectorProblems, serviceAt, serviceTracingProblems } from "../src/tracing-check.js";
import { resolvedEnv, workloadOf } from "../src/workloads.js";
import { parseYamlDocuments } from "../src/yaml-files.js";
import { ENVIRONMENTS, render, repoPath, SERVICES } from "./services.js";

const COLLECTOR = "otel-collector";
// `${env:NAME}` as a collector configuration spells a variable.
const envRef = (name: string) => `\${env:${name}}`;
const OTLP_HTTP = 4318;

/** Who may reach the collector: every service on OTLP/HTTP, nobody else and on no other port; the collector reaches no service. */
function collectorFlowProblems(manifests: Manifest[]): string[] {
  const netpols = manifests.filter((m) => m.kind === "NetworkPolicy");
  const authz = manifests.filter((m) => m.kind === "AuthorizationPolicy");
  const collector = workloadOf(manifests, COLLECTOR).pod;
  const problems: string[] = [];
  for (const s of SERVICES) {
    const pod = workloadOf(manifests, s.name).pod;
    if (!networkAllows(netpols, pod, collector, OTLP_HTTP)) problems.push(`NetworkPolicy blocks ${s.name} -> collector:${OTLP_HTTP}`);
    if (!meshAllows(authz, principalOf(pod), collector, OTLP_HTTP)) problems.push(`AuthorizationPolicy blocks ${s.name} -> collector:${OTLP_HTTP}`);
    for (const port of [4317, 13133]) {
      if (networkAllows(netpols, pod, collector, port)) problems.push(`NetworkPolicy lets ${s.name} -> collector:${port} through`);
      if (meshAllows(authz, principalOf(pod), collector, port)) problems.push(`AuthorizationPolicy lets ${s.name} -> collector:${port} through`);
    }
    if (networkAllows(netpols, collector, pod, s.port)) problems.push(`NetworkPolicy lets the collector -> ${s.name} through`);
  }
  const jobs = manifests.filter((m) => m.kind === "Job").map((m): [string, Pod] => {
    const template = (m.spec as { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName?: string } } }).template;
    return [idOf(m), { namespace: m.metadata.namespace ?? "default", labels: template.metadata.labels, serviceAccount: template.spec.serviceAccountName }];
  });
  const others: [string, Pod][] = [
    ...jobs,
    ["another pod of the namespace", { namespace: "triphub", labels: { "app.kubernetes.io/name": "debug" } }],
    ["a pod of another namespace", { namespace: "default", labels: { "app.kubernetes.io/component": "service" } }],
  ];
  for (const [who, pod] of others) if (networkAllows(netpols, pod, collector, OTLP_HTTP)) problems.push(`NetworkPolicy lets ${who} -> collector through`);
  // Migration jobs run without a sidecar, so they have no mesh identity (STRICT mTLS refuses them).
  const strangers = ["cluster.local/ns/triphub/sa/default", `cluster.local/ns/triphub/sa/${COLLECTOR}`, "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"];
  for (const p of strangers) if (meshAllows(authz, p, collector, OTLP_HTTP)) problems.push(`AuthorizationPolicy lets ${p} -> collector through`);
  return problems;
}

/** The sampler each service of the overlay asks for, as `sampler[:arg]`. */
const samplers = (manifests: Manifest[]) =>
  new Set(
    SERVICES.map((s) => {
      const w = workloadOf(manifests, s.name);
      const env = resolvedEnv(manifests, w.container, w.pod.namespace);
      return [env.get("OTEL_TRACES_SAMPLER"), env.get("OTEL_TRACES_SAMPLER_ARG")].filter((x) => x !== undefined).join(":");
    }),
  );

describe.each(ENVIRONMENTS)("%s overlay", (env) => {
  const manifests = render(env);

  it.each(SERVICES.map((s) => s.name))("%s traces under its own name to the collector, with a sampler the chassis accepts", (name) => {
    expect(serviceTracingProblems(manifests, name, env)).toEqual([]);
  });

  it("runs a collector whose configuration receives OTLP/HTTP, batches and exports in a traces pipeline", () => {
    expect(collectorProblems(manifests, COLLECTOR)).toEqual([]);
    const endpoints = SERVICES.map((s) => {
      const w = workloadOf(manifests, s.name);
      return serviceAt(manifests, String(resolvedEnv(manifests, w.container, w.pod.namespace).get("OTEL_EXPORTER_OTLP_ENDPOINT")), w.pod.namespace)?.metadata.name;
    });
    expect(new Set(endpoints)).toEqual(new Set([COLLECTOR]));
  });

  it("lets the services reach the collector on OTLP/HTTP, and nothing else", () => {
    expect(collectorFlowProblems(manifests)).toEqual([]);
  });
});

describe("sampling per environment", () => {
  it("keeps every trace in dev and a share in staging and prod, the same in every service", () => {
    const [dev, staging, prod] = ENVIRONMENTS.map((e) => [...samplers(render(e))]);
    expect(dev).toEqual(["parentbased_always_on"]);
    const ratio = (s: string[]) => {
      expect(s).toHaveLength(1);
      expect(s[0]).toMatch(/^parentbased_traceidratio:/);
      return Number(s[0].split(":")[1]);
    };
    expect(ratio(staging)).toBeGreaterThan(0);
    expect(ratio(prod)).toBeGreaterThan(0);
    expect(ratio(prod)).toBeLessThan(1);
    expect(ratio(prod)).toBeLessThanOrEqual(ratio(staging));
  });
});

describe("compose.yaml", () => {
  const compose = parseYamlDocuments(readFileSync(repoPath("compose.yaml"), "utf8"), "compose.yaml")[0] as { services: Record<string, { environment?: Record<string, string> }> };
  const collectorText = readFileSync(repoPath("infra/compose/otel-collector.yaml"), "utf8");

  it("sends every service's traces to its collector under the service's own name", () => {
    for (const s of SERVICES) {
      const env = compose.services[s.name]?.environment ?? {};
      expect(tracingRequested(env), s.name).toBe(true);
      expect(() => samplerFrom(env), s.name).not.toThrow();
      // Unset, each process names itself; one shared value would merge every service into one.
      expect(env.OTEL_SERVICE_NAME ?? s.name, s.name).toBe(s.name);
      const url = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
      expect(Object.keys(compose.services), s.name).toContain(url.hostname);
    }
  });

  it("runs a collector whose configuration receives OTLP/HTTP, batches and exports traces", () => {
    const { config, problems } = parseCollectorConfig(collectorText, "otel-collector.yaml");
    expect(problems).toEqual([]);
    expect(collectorConfigProblems(config!, "otel-collector.yaml")).toEqual([]);
    expect(otlpHttpEndpoints(config!)).toContain(`0.0.0.0:${OTLP_HTTP}`);
  });
});

describe("the tracing check", () => {
  const prod = () => render("prod");
  const container = (ms: Manifest[], name: string) => workloadOf(ms, name).container as { env: JsonMap[]; args: string[] };
  const setEnv = (ms: Manifest[], name: string, key: string, value: string) => {
    const e = container(ms, name).env.find((x) => x.name === key);
    if (!e) throw new Error(`${name} has no ${key}`);
    e.value = value;
    return ms;
  };
  const environment = (ms: Manifest[]) => ms.find((m) => m.kind === "ConfigMap" && m.metadata.name === "triphub-environment")!.data as Record<string, string>;
  const withEnvironment = (data: Record<string, string>) => {
    const ms = prod();
    Object.assign(environment(ms), data);
    return ms;
  };

  it.each([
    ["another service's name", () => setEnv(prod(), "payment", "OTEL_SERVICE_NAME", "gateway"), "payment: OTEL_SERVICE_NAME is gateway, not payment"],
    ["a misspelt collector", () => setEnv(prod(), "payment", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-colector:4318"), "payment: OTEL endpoint http://otel-colector:4318 is no port of a Service in the render"],
    ["the collector's gRPC port", () => setEnv(prod(), "payment", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"), "is no port of a Service"],
    ["a sampler the chassis does not know", () => withEnvironment({ OTEL_TRACES_SAMPLER: "parentbased_ratio" }), 'the chassis refuses its sampler: invalid configuration: OTEL_TRACES_SAMPLER "parentbased_ratio" is not supported'],
    ["a ratio written as a percentage", () => withEnvironment({ OTEL_TRACES_SAMPLER_ARG: "10%" }), 'OTEL_TRACES_SAMPLER_ARG "10%" must be a ratio between 0 and 1'],
    ["tracing turned off", () => withEnvironment({ OTEL_TRACES_EXPORTER: "none" }), "payment: tracing is off"],
    ["another environment", () => withEnvironment({ OTEL_RESOURCE_ATTRIBUTES: "service.namespace=triphub,deployment.environment.name=staging" }), "deployment.environment.name=prod"],
  ])("reports %s", (_what, broken, message) => {
    expect(serviceTracingProblems(broken(), "payment", "prod").join("\n")).toContain(message);
  });

  const withCollectorConfig = (edit: (text: string) => string) => {
    const ms = prod();
    const data = ms.find((m) => m.kind === "ConfigMap" && m.metadata.name === COLLECTOR)!.data as Record<string, string>;
    const edited = edit(data["config.yaml"]);
    expect(edited).not.toBe(data["config.yaml"]);
    data["config.yaml"] = edited;
    return ms;
  };

  it.each([
    ["invalid YAML", (t: string) => t.replace("receivers: [otlp]", "receivers: [otlp"), "not valid YAML"],
    ["no batch processor", (t: string) => t.replace("processors: [memory_limiter, batch]", "processors: [memory_limiter]"), "pipeline traces does not batch"],
    ["an undefined receiver", (t: string) => t.replace("receivers: [otlp]", "receivers: [otlp/grpc]"), "pipeline traces uses receiver otlp/grpc, which is not defined"],
    ["no traces pipeline", (t: string) => t.replace("    traces:\n", "    metrics:\n"), "no traces pipeline"],
    ["no receivers", (t: string) => t.replace(/receivers:\n(.*\n)*?processors:/, "processors:"), "pipeline traces uses receiver otlp, which is not defined"],
    ["the memory limiter last", (t: string) => t.replace("[memory_limiter, batch]", "[batch, memory_limiter]"), "memory_limiter must come first"],
    ["a receiver on localhost", (t: string) => t.replace("endpoint: 0.0.0.0:4318", "endpoint: localhost:4318"), "where no OTLP/HTTP receiver listens (localhost:4318)"],
    ["an unset variable", (t: string) => t.replace(envRef("TRACES_BACKEND_ENDPOINT"), envRef("TRACES_BACKEND")), `reads ${envRef("TRACES_BACKEND")}, which the collector's container does not set`],
  ])("reports a collector configuration with %s", (_what, edit, message) => {
    expect(collectorProblems(withCollectorConfig(edit), COLLECTOR).join("\n")).toContain(message);
  });

  it("reports a collector started without its configuration file, and a Service port that reaches no receiver", () => {
    const noConfig = prod();
    container(noConfig, COLLECTOR).args = [];
    expect(collectorProblems(noConfig, COLLECTOR)).toEqual([`${COLLECTOR}: the collector is not started with --config=<file>`]);
    const wrongPort = prod();
    const svc = wrongPort.find((m) => m.kind === "Service" && m.metadata.name === COLLECTOR)!;
    ((svc.spec as { ports: JsonMap[] }).ports[0]).targetPort = "health";
    expect(collectorProblems(wrongPort, COLLECTOR).join("\n")).toMatch(/port 4318 reaches 13133, where no OTLP\/HTTP receiver listens/);
  });

  it("reports a service the policies keep from the collector, and callers they let through that are not services", () => {
    const blocked = prod().filter((m) => !(m.kind === "NetworkPolicy" && m.metadata.name === "traces-egress"));
    expect(collectorFlowProblems(blocked)).toEqual(SERVICES.map((s) => `NetworkPolicy blocks ${s.name} -> collector:${OTLP_HTTP}`));
    const open = prod();
    const authz = open.find((m) => m.kind === "AuthorizationPolicy" && m.metadata.name === COLLECTOR)!;
    (authz.spec as { rules: { from: { source: { principals: string[] } }[]; to?: unknown }[] }).rules[0].from[0].source.principals = ["cluster.local/ns/triphub/*"];
    expect(collectorFlowProblems(open)).toEqual([
      "AuthorizationPolicy lets cluster.local/ns/triphub/sa/default -> collector through",
      `AuthorizationPolicy lets cluster.local/ns/triphub/sa/${COLLECTOR} -> collector through`,
    ]);
    // Each side of a flow holds it alone: the collector's ingress and the services' egress both name the port.
    const anyPort = prod();
    const netpol = (name: string) => anyPort.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === name)!.spec as { ingress: JsonMap[]; egress: JsonMap[] };
    delete netpol(COLLECTOR).ingress[0].ports;
    expect(collectorFlowProblems(anyPort)).toEqual([]);
    delete netpol("traces-egress").egress[0].ports;
    expect(collectorFlowProblems(anyPort)).toContain("NetworkPolicy lets payment -> collector:13133 through");
    const anyone = prod();
    const np = anyone.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === COLLECTOR)!;
    (np.spec as { ingress: JsonMap[] }).ingress[0].from = [];
    expect(collectorFlowProblems(anyone)).toEqual(["NetworkPolicy lets a pod of another namespace -> collector through"]);
    // And an egress rule to the collector for every pod, as platform-egress once had for an outside collector.
    const platform = anyone.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === "platform-egress")!.spec as { egress: JsonMap[] };
    platform.egress.push({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": COLLECTOR } } }], ports: [{ port: OTLP_HTTP, protocol: "TCP" }] });
    expect(collectorFlowProblems(anyone)).toContain("NetworkPolicy lets Job/payment-migrate -> collector through");
  });

  it("resolves ConfigMap values the way the kubelet does: env over envFrom, Secrets unknown", () => {
    const ms = prod();
    const c = workloadOf(ms, "payment").container;
    (c.env as JsonMap[]).push({ name: "LOG_LEVEL", value: "warn" });
    const env = resolvedEnv(ms, c, "triphub");
    expect([env.get("LOG_LEVEL"), env.get("ENVIRONMENT"), env.get("DATABASE_URL")]).toEqual(["warn", "prod", undefined]);
    c.envFrom = [{ configMapRef: { name: "triphub-environmnet" } }];
    expect(() => resolvedEnv(ms, c, "triphub")).toThrow(/ConfigMap triphub-environmnet is not in the render/);
  });
});
