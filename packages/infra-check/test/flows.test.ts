// Who may talk to whom, from the contracts: every internal RPC names its callers (proto option
// triphub.options.v1.callers), every RPC with an HTTP rule is called by the gateway, and every
// URL a service is configured with is a call. Each such flow must pass both the NetworkPolicies
// and the Istio AuthorizationPolicies; and no flow between services passes that nothing declares.
import { createFileRegistry, getOption, hasOption } from "@bufbuild/protobuf";
import { callers, http } from "@triphub/contracts";
import { readDescriptorSet } from "@triphub/contracts/descriptors";
import { describe, expect, it } from "vitest";
import { isMap, type Manifest } from "../src/manifest.js";
import { meshAllows, networkAllows, principalOf } from "../src/network-flows.js";
import { plainEnv, workloadOf } from "../src/workloads.js";
import { ENVIRONMENTS, render, SERVICES } from "./services.js";

/** Services in the contracts that are not deployed, and why. */
const NOT_DEPLOYED: Record<string, string> = {
  registry: "Kubernetes resolves services through cluster DNS; the registry is for `npm start` and VMs",
  example: "the template's example service, never run",
};

/** Callers the contracts name that are not workloads of the platform, and why. */
const NOT_WORKLOADS: Record<string, string> = {
  deploy: "the deployment pipeline's identity (config changes from CI or an operator), outside the cluster",
};

interface Flow {
  from: string;
  to: string;
  why: string;
}

const deployed = new Set(SERVICES.map((s) => s.name));

/** The flows the contracts declare, from the contracts' descriptors (every service in proto/). */
function contractFlows(): Flow[] {
  const flows: Flow[] = [];
  const registry = createFileRegistry(readDescriptorSet());
  for (const file of registry.files) {
    for (const service of file.services) {
      const owner = /^triphub\.([a-z]+)\.v\d+$/.exec(service.typeName.split(".").slice(0, -1).join("."))?.[1];
      if (!owner) continue;
      if (!deployed.has(owner)) {
        if (!(owner in NOT_DEPLOYED)) throw new Error(`${service.typeName}: its service "${owner}" is neither deployed nor listed in NOT_DEPLOYED`);
        continue;
      }
      for (const method of service.methods) {
        const why = `${service.typeName}.${method.name}`;
        if (hasOption(method, http)) flows.push({ from: "gateway", to: owner, why });
        if (!hasOption(method, callers)) continue;
        for (const caller of getOption(method, callers).services) {
          const names = caller === "*" ? [...deployed].filter((d) => d !== owner) : [caller];
          for (const from of names) {
            if (!deployed.has(from) && !(from in NOT_WORKLOADS)) throw new Error(`${why}: caller "${from}" is neither deployed nor listed in NOT_WORKLOADS`);
            if (deployed.has(from)) flows.push({ from, to: owner, why });
          }
        }
      }
    }
  }
  return flows;
}

/** The flows the manifests configure: every http://<service>:<port> in a service's environment. */
function configuredFlows(manifests: Manifest[]): Flow[] {
  return SERVICES.flatMap((s) =>
    [...plainEnv(workloadOf(manifests, s.name).container)].flatMap(([name, value]) =>
      [...value.matchAll(/https?:\/\/([a-z0-9-]+):(\d+)/g)]
        .filter(([, host]) => deployed.has(host) && host !== s.name)
        .map(([, host, port]) => ({ from: s.name, to: host, why: `${s.name}'s ${name} (port ${port})` })),
    ),
  );
}

/** Flows that the policies do not let through, and flows they let through that nothing declares. */
function flowProblems(manifests: Manifest[], declared: Flow[]): string[] {
  const problems: string[] = [];
  const netpols = manifests.filter((m) => m.kind === "NetworkPolicy");
  const authz = manifests.filter((m) => m.kind === "AuthorizationPolicy");
  const port = (name: string) => SERVICES.find((s) => s.name === name)!.port;
  const pod = (name: string) => workloadOf(manifests, name).pod;
  for (const f of declared) {
    if (!networkAllows(netpols, pod(f.from), pod(f.to), port(f.to))) problems.push(`NetworkPolicy blocks ${f.from} -> ${f.to} (${f.why})`);
    if (!meshAllows(authz, principalOf(pod(f.from)), pod(f.to), port(f.to))) problems.push(`AuthorizationPolicy blocks ${f.from} -> ${f.to} (${f.why})`);
  }
  const wanted = new Set(declared.map((f) => `${f.from}->${f.to}`));
  for (const from of deployed) {
    for (const to of deployed) {
      if (from === to || wanted.has(`${from}->${to}`)) continue;
      if (networkAllows(netpols, pod(from), pod(to), port(to))) problems.push(`NetworkPolicy lets ${from} -> ${to} through, which nothing declares`);
      if (meshAllows(authz, principalOf(pod(from)), pod(to), port(to))) problems.push(`AuthorizationPolicy lets ${from} -> ${to} through, which nothing declares`);
    }
  }
  return problems;
}

describe.each(ENVIRONMENTS)("%s overlay", (env) => {
  const manifests = render(env);

  it("lets every declared flow through both NetworkPolicy and Istio, and nothing else between services", () => {
    const declared = [...contractFlows(), ...configuredFlows(manifests)];
    expect(declared.length).toBeGreaterThan(20);
    expect(flowProblems(manifests, declared)).toEqual([]);
  });

  it("configures every URL of another service with that service's port", () => {
    const wrong = SERVICES.flatMap((s) =>
      [...plainEnv(workloadOf(manifests, s.name).container).values()].flatMap((v) =>
        [...v.matchAll(/https?:\/\/([a-z0-9-]+):(\d+)/g)].filter(([, host, p]) => deployed.has(host) && Number(p) !== SERVICES.find((x) => x.name === host)!.port).map(([url]) => `${s.name}: ${url}`),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it("runs mTLS STRICT for the whole namespace", () => {
    const strict = manifests.filter((m) => m.kind === "PeerAuthentication" && isMap(m.spec) && isMap(m.spec.mtls) && m.spec.mtls.mode === "STRICT" && m.spec.selector === undefined);
    expect(strict.map((m) => m.metadata.namespace)).toEqual(["triphub"]);
  });
});

describe("the flow check", () => {
  const flows = contractFlows();

  it("reads the callers from the contracts", () => {
    const has = (from: string, to: string) => flows.some((f) => f.from === from && f.to === to);
    expect(has("reservation", "payment")).toBe(true);
    expect(has("review", "accommodation")).toBe(true);
    expect(has("accommodation", "review")).toBe(true);
    expect(has("gateway", "auth")).toBe(true);
    expect(has("payment", "reservation")).toBe(false);
  });

  it("fails when a caller the contracts allow is blocked by either policy", () => {
    const manifests = render("prod");
    const netpol = manifests.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === "accommodation")!;
    const spec = netpol.spec as { ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] };
    spec.ingress = spec.ingress.filter((r) => r.from[0].podSelector?.matchLabels["app.kubernetes.io/name"] !== "review");
    const authz = manifests.find((m) => m.kind === "AuthorizationPolicy" && m.metadata.name === "payment")!;
    const rule = (authz.spec as { rules: { from: { source: { principals: string[] } }[] }[] }).rules[0];
    rule.from[0].source.principals = rule.from[0].source.principals.filter((p) => !p.endsWith("/sa/reservation"));
    const problems = flowProblems(manifests, flows);
    expect(problems).toContain("NetworkPolicy blocks review -> accommodation (triphub.accommodation.v1.AccommodationService.StreamEvents)");
    expect(problems).toContain("AuthorizationPolicy blocks reservation -> payment (triphub.payment.v1.PaymentService.AuthorizePayment)");
  });

  it("fails when a policy lets through a flow nothing declares", () => {
    const manifests = render("prod");
    const authz = manifests.find((m) => m.kind === "AuthorizationPolicy" && m.metadata.name === "payment")!;
    (authz.spec as { rules: { from: { source: { principals: string[] } }[] }[] }).rules[0].from[0].source.principals.push("cluster.local/ns/triphub/sa/review");
    expect(flowProblems(manifests, [...flows, ...configuredFlows(manifests)])).toEqual(["AuthorizationPolicy lets review -> payment through, which nothing declares"]);
  });
});
