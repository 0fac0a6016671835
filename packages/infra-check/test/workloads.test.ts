// Every service's Deployment against what its process serves: the chassis's probe paths on the
// port its own config.ts defaults to, limits, a disruption budget, an autoscaler, a locked-down
// pod, secrets only by reference, and a migration job for each database.
import { LIVENESS_PATH, MIGRATE_ONLY_VARIABLE, READINESS_PATH } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { containersOf } from "../src/kustomize.js";
import { idOf, isMap, type JsonMap, type Manifest } from "../src/manifest.js";
import { plainEnv, workloadOf } from "../src/workloads.js";
import { ENVIRONMENTS, NOT_SERVICES, processPackages, render, SERVICES } from "./services.js";

/** What is wrong with how `manifests` run `service`; empty when nothing is. */
function workloadProblems(manifests: Manifest[], service: (typeof SERVICES)[number]): string[] {
  const problems: string[] = [];
  const w = workloadOf(manifests, service.name);
  const c = w.container;
  const env = plainEnv(c);
  const port = env.has("PORT") ? Number(env.get("PORT")) : service.port;
  const ports = (Array.isArray(c.ports) ? c.ports : []).filter(isMap);
  const portOf = (p: unknown) => (typeof p === "number" ? p : ports.find((x) => x.name === p)?.containerPort);
  if (!ports.some((p) => p.containerPort === port)) problems.push(`${service.name}: no containerPort ${port}`);
  // The chassis listens on 127.0.0.1 unless told otherwise: probes from the kubelet would fail.
  if (env.get("HOST") !== "0.0.0.0") problems.push(`${service.name}: HOST is not 0.0.0.0`);
  for (const [probe, want] of [
    ["startupProbe", LIVENESS_PATH],
    ["livenessProbe", LIVENESS_PATH],
    ["readinessProbe", READINESS_PATH],
  ] as const) {
    const get = isMap(c[probe]) && isMap(c[probe].httpGet) ? c[probe].httpGet : undefined;
    if (!get) problems.push(`${service.name}: no ${probe}`);
    else if (get.path !== want || portOf(get.port) !== port) problems.push(`${service.name}: ${probe} asks ${String(get.path)} on ${String(portOf(get.port))}, the service serves ${want} on ${port}`);
  }
  const limits = isMap(c.resources) && isMap(c.resources.limits) ? c.resources.limits : {};
  const requests = isMap(c.resources) && isMap(c.resources.requests) ? c.resources.requests : {};
  if (!limits.cpu || !limits.memory || !requests.cpu || !requests.memory) problems.push(`${service.name}: resources need cpu and memory requests and limits`);
  const sc = isMap(c.securityContext) ? c.securityContext : {};
  const podSc = isMap(w.podSpec.securityContext) ? w.podSpec.securityContext : {};
  const dropped = isMap(sc.capabilities) && Array.isArray(sc.capabilities.drop) ? sc.capabilities.drop : [];
  if (podSc.runAsNonRoot !== true || sc.readOnlyRootFilesystem !== true || sc.allowPrivilegeEscalation !== false || !dropped.includes("ALL")) {
    problems.push(`${service.name}: must run as non-root, read-only, without privilege escalation and with every capability dropped`);
  }
  const sa = w.pod.serviceAccount;
  if (!sa || !manifests.some((m) => m.kind === "ServiceAccount" && m.metadata.name === sa)) problems.push(`${service.name}: its ServiceAccount ${String(sa)} is missing`);
  const matches = (selector: unknown) =>
    isMap(selector) && isMap(selector.matchLabels) && Object.entries(selector.matchLabels).every(([k, v]) => w.pod.labels[k] === v);
  if (!manifests.some((m) => m.kind === "PodDisruptionBudget" && isMap(m.spec) && matches(m.spec.selector))) problems.push(`${service.name}: no PodDisruptionBudget`);
  // The autoscaler scales the Deployment, or the Rollout that runs its pod template.
  const runners = new Set([`Deployment/${service.name}`]);
  for (const r of manifests.filter((m) => m.kind === "Rollout" && isMap(m.spec) && isMap(m.spec.workloadRef) && m.spec.workloadRef.name === service.name)) runners.add(idOf(r));
  const hpa = manifests.find((m) => m.kind === "HorizontalPodAutoscaler" && isMap(m.spec) && isMap(m.spec.scaleTargetRef) && runners.has(`${m.spec.scaleTargetRef.kind}/${m.spec.scaleTargetRef.name}`));
  if (!hpa) problems.push(`${service.name}: no HorizontalPodAutoscaler`);
  const svc = manifests.find((m) => m.kind === "Service" && m.metadata.name === service.name);
  const svcPorts = svc && isMap(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isMap) : [];
  // Other services' URLs (http://<name>:<port>) use the Service port: the same as the process's.
  if (!svcPorts.some((p) => p.port === port && portOf(p.targetPort) === port)) problems.push(`${service.name}: its Service does not expose ${port}`);
  if (service.database) problems.push(...migrationProblems(manifests, service.name, c));
  return problems;
}

function migrationProblems(manifests: Manifest[], name: string, serving: JsonMap): string[] {
  const job = manifests.find((m) => m.kind === "Job" && m.metadata.name === `${name}-migrate`);
  if (!job) return [`${name}: no migration job`];
  const problems: string[] = [];
  const annotations = isMap(job.metadata.annotations) ? job.metadata.annotations : {};
  if (annotations["argocd.argoproj.io/hook"] !== "PreSync") problems.push(`${name}: its migration job does not run before the sync (PreSync hook)`);
  const [c] = containersOf([job]);
  if (c.image !== serving.image) problems.push(`${name}: the migration job runs ${String(c.image)}, the service ${String(serving.image)}`);
  if (plainEnv(c).get(MIGRATE_ONLY_VARIABLE) !== "1") problems.push(`${name}: the migration job does not set ${MIGRATE_ONLY_VARIABLE}=1`);
  const dbRef = (x: JsonMap) => JSON.stringify((Array.isArray(x.env) ? x.env.filter(isMap) : []).find((e) => e.name === "DATABASE_URL")?.valueFrom);
  if (dbRef(c) === undefined || dbRef(c) !== dbRef(serving)) problems.push(`${name}: the migration job's DATABASE_URL is not the service's`);
  return problems;
}

// Names whose values are secrets: they come from Secrets, never as plain values in Git.
const SECRET_NAME = /SECRET|PASSWORD|_KEY$|KEY_|TOKEN$|DATABASE_URL|REDIS_URL|SERVICE_CLIENTS/;

describe.each(ENVIRONMENTS)("%s overlay", (env) => {
  const manifests = render(env);

  it.each(SERVICES.map((s) => [s.name, s] as const))("%s: probes on the chassis's paths and port, limits, PDB, HPA, locked-down pod, migrations", (_name, service) => {
    expect(workloadProblems(manifests, service)).toEqual([]);
  });

  it("embeds no secret: no Secret objects, and secret-looking variables only by reference", () => {
    expect(manifests.filter((m) => m.kind === "Secret").map(idOf)).toEqual([]);
    const inline = containersOf(manifests).flatMap((c) => [...plainEnv(c).keys()].filter((k) => SECRET_NAME.test(k)));
    expect(inline).toEqual([]);
  });

  it("pins every image to a tag that is not latest", () => {
    const images = containersOf(manifests).map((c) => String(c.image));
    expect(images.filter((i) => !/:[\w][\w.-]*$/.test(i) || i.endsWith(":latest"))).toEqual([]);
  });
});

describe("the list of services", () => {
  it("names every package that has a process entry, or says why it is not deployed", () => {
    const deployed = new Set(SERVICES.map((s) => s.dir));
    expect(processPackages().filter((d) => !deployed.has(d) && !(d in NOT_SERVICES))).toEqual([]);
  });
});

describe("the workload check", () => {
  const service = SERVICES.find((s) => s.name === "payment")!;
  const broken = (edit: (deployment: JsonMap, container: JsonMap) => void) => {
    const manifests = render("prod");
    const w = workloadOf(manifests, "payment");
    edit(w.deployment, w.container);
    return workloadProblems(manifests, service);
  };

  it("reports a missing probe, a probe on the wrong path or port, and missing limits", () => {
    expect(broken((_d, c) => delete c.readinessProbe)).toEqual(["payment: no readinessProbe"]);
    expect(broken((_d, c) => Object.assign((c.livenessProbe as JsonMap).httpGet as JsonMap, { path: "/health" }))).toEqual([
      `payment: livenessProbe asks /health on ${service.port}, the service serves ${LIVENESS_PATH} on ${service.port}`,
    ]);
    expect(broken((_d, c) => Object.assign((c.startupProbe as JsonMap).httpGet as JsonMap, { port: 8080 }))[0]).toMatch(/startupProbe asks \/healthz on 8080/);
    expect(broken((_d, c) => delete (c.resources as JsonMap).limits)).toEqual(["payment: resources need cpu and memory requests and limits"]);
  });

  it("reports a service left on 127.0.0.1 and a migration job on another image", () => {
    expect(broken((_d, c) => (c.env as JsonMap[]).splice((c.env as JsonMap[]).findIndex((e) => e.name === "HOST"), 1))).toEqual(["payment: HOST is not 0.0.0.0"]);
    const manifests = render("prod");
    const job = manifests.find((m) => m.metadata.name === "payment-migrate")!;
    containersOf([job])[0].image = "ghcr.io/triphub/payment:0.0.1";
    expect(workloadProblems(manifests, service)).toEqual([expect.stringMatching(/the migration job runs ghcr.io\/triphub\/payment:0.0.1/)]);
  });
});
