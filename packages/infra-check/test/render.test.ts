import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderKustomization } from "../src/kustomize.js";
import { idOf, isMap, type Manifest } from "../src/manifest.js";
import { manifestProblems } from "../src/schemas.js";
import { readYamlDocuments } from "../src/yaml-files.js";
import { ENVIRONMENTS, render, repoPath } from "./services.js";

const find = (ms: Manifest[], kind: string, name: string) => {
  const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind}/${name}`);
  return m;
};

describe.each(ENVIRONMENTS)("%s overlay", (env) => {
  const manifests = render(env);

  it("renders, and every manifest matches its schema (Kubernetes, Istio, Argo) with no unknown field", () => {
    expect(manifests.length).toBeGreaterThan(50);
    expect(manifests.flatMap(manifestProblems)).toEqual([]);
  });

  it("puts everything namespaced in the triphub namespace, labelled with the environment", () => {
    expect(manifests.filter((m) => m.kind !== "Namespace" && m.metadata.namespace !== "triphub").map(idOf)).toEqual([]);
    expect(manifests.filter((m) => (m.metadata.labels as Record<string, string>)?.["app.kubernetes.io/environment"] !== env).map(idOf)).toEqual([]);
  });

  it("has every reference resolve: config maps, rollouts' services, routes and analyses", () => {
    const names = (kind: string) => new Set(manifests.filter((m) => m.kind === kind).map((m) => m.metadata.name));
    const json = JSON.stringify(manifests);
    for (const [, name] of json.matchAll(/"configMapRef":\{"name":"([^"]+)"/g)) expect(names("ConfigMap"), name).toContain(name);
    for (const [, name] of json.matchAll(/"templateName":"([^"]+)"/g)) expect(names("AnalysisTemplate"), name).toContain(name);
    for (const [, name] of json.matchAll(/"(?:activeService|previewService)":"([^"]+)"/g)) expect(names("Service"), name).toContain(name);
    for (const r of manifests.filter((m) => m.kind === "Rollout")) {
      const spec = r.spec as { workloadRef: { name: string }; strategy: { canary?: { trafficRouting?: { istio: { virtualService: { name: string; routes: string[] }; destinationRule: { name: string; stableSubsetName: string; canarySubsetName: string } } } } } };
      expect(names("Deployment")).toContain(spec.workloadRef.name);
      const istio = spec.strategy.canary?.trafficRouting?.istio;
      if (!istio) continue;
      const vs = find(manifests, "VirtualService", istio.virtualService.name).spec as { http: { name: string }[] };
      expect(vs.http.map((h) => h.name)).toEqual(expect.arrayContaining(istio.virtualService.routes));
      const dr = find(manifests, "DestinationRule", istio.destinationRule.name).spec as { subsets: { name: string }[] };
      expect(dr.subsets.map((s) => s.name)).toEqual(expect.arrayContaining([istio.destinationRule.stableSubsetName, istio.destinationRule.canarySubsetName]));
    }
  });

  it("has an Argo CD Application that deploys exactly this overlay", () => {
    const [app] = readYamlDocuments(repoPath(`infra/argocd/${env}.yaml`)) as Manifest[];
    expect(manifestProblems(app)).toEqual([]);
    const spec = app.spec as { source: { path: string; targetRevision: string }; destination: { namespace: string } };
    expect(spec.source.path).toBe(`infra/k8s/overlays/${env}`);
    expect(spec.destination.namespace).toBe("triphub");
  });
});

describe("the overlays' differences", () => {
  it("apply: one instance in dev, three or more in prod with more resources for the gateway", () => {
    const hpa = (env: string) => (find(render(env), "HorizontalPodAutoscaler", "payment").spec as { minReplicas: number }).minReplicas;
    expect([hpa("dev"), hpa("staging"), hpa("prod")]).toEqual([1, 2, 3]);
    const limits = (env: string) => (find(render(env), "Deployment", "gateway").spec as { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } }).template.spec.containers[0].resources.limits.memory;
    expect([limits("dev"), limits("prod")]).toEqual(["512Mi", "1Gi"]);
    const hosts = (env: string) => (find(render(env), "Gateway", "triphub").spec as { servers: { hosts: string[] }[] }).servers[0].hosts;
    expect(hosts("prod")).toEqual(["api.triphub.example"]);
    expect(hosts("dev")).toEqual(["api.dev.triphub.example"]);
  });
});

const container = (m: Manifest) => (m.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];

describe("the manifest check", () => {
  const payment = () => structuredClone(find(render("prod"), "Deployment", "payment"));

  it("reports a misspelt field that the schema alone lets through", () => {
    const m = payment();
    const c = container(m);
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    expect(manifestProblems(m)).toEqual(["Deployment/payment: unknown field /spec/template/spec/containers/0/readinesProbe"]);
  });

  it("reports unknown fields in Istio and Argo resources too", () => {
    const vs = structuredClone(find(render("prod"), "VirtualService", "reservation"));
    ((vs.spec as { http: { route: Record<string, unknown>[] }[] }).http[0].route[0]).wieght = 100;
    expect(manifestProblems(vs)).toEqual(["VirtualService/reservation: unknown field /spec/http/0/route/0/wieght"]);
    const rollout = structuredClone(find(render("prod"), "Rollout", "reservation"));
    (rollout.spec as { strategy: { canary: Record<string, unknown> } }).strategy.canary.stepz = [];
    expect(manifestProblems(rollout)).toEqual(["Rollout/reservation: unknown field /spec/strategy/canary/stepz"]);
  });

  it("reports wrong types, missing required fields and kinds it has no schema for", () => {
    const m = payment();
    container(m).ports = [{ name: "http", containerPort: "7103" }];
    expect(manifestProblems(m).join()).toMatch(/containerPort/);
    const n = payment();
    delete container(n).name;
    expect(manifestProblems(n).join()).toMatch(/name/);
    expect(manifestProblems({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual(["Widget/w: no schema for example.com/v1 Widget"]);
  });
});

describe("the renderer", () => {
  const overlay = (kustomization: string, files: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "kustomize-"));
    writeFileSync(join(dir, "kustomization.yaml"), kustomization);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const base = repoPath("infra/k8s/base");

  it("refuses a field it does not render, rather than leaving it out", () => {
    expect(() => renderKustomization(overlay(`resources: [${base}]\nreplicas: [{name: payment, count: 5}]\n`))).toThrow(/field replicas is not supported/);
  });

  it("refuses a patch whose target matches nothing and a JSON patch path that is not there", () => {
    const patch = "- op: replace\n  path: /spec/minReplicas\n  value: 1\n";
    expect(() => renderKustomization(overlay(`resources: [${base}]\npatches: [{path: p.yaml, target: {kind: HorizontalPodAutoscaler, name: paymnt}}]\n`, { "p.yaml": patch }))).toThrow(/matches nothing/);
    const wrong = "- op: replace\n  path: /spec/minReplica\n  value: 1\n";
    expect(() => renderKustomization(overlay(`resources: [${base}]\npatches: [{path: p.yaml, target: {kind: HorizontalPodAutoscaler}}]\n`, { "p.yaml": wrong }))).toThrow(/does not exist/);
  });

  it("merges containers by name in a strategic merge patch and sets images by name", () => {
    const patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payment}\nspec:\n  template:\n    spec:\n      containers:\n        - name: payment\n          env: [{name: LOG_LEVEL, value: debug}]\n";
    const out = renderKustomization(overlay(`resources: [${base}]\npatches: [{path: p.yaml}]\nimages: [{name: triphub/payment, newName: r.example/payment, newTag: "1.2.3"}]\n`, { "p.yaml": patch }));
    const c = container(find(out, "Deployment", "payment")) as { image: string; env: { name: string; value?: string }[]; readinessProbe: unknown };
    expect(c.image).toBe("r.example/payment:1.2.3");
    expect(c.env.find((e) => e.name === "LOG_LEVEL")?.value).toBe("debug");
    expect(c.env.find((e) => e.name === "HOST")?.value).toBe("0.0.0.0");
    expect(isMap(c.readinessProbe)).toBe(true);
  });
});
