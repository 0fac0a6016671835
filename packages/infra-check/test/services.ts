import { readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { accommodationConfigSpec } from "@triphub/accommodation";
import { authConfigSpec } from "@triphub/auth";
import { configServerConfigSpec } from "@triphub/config-server";
import { gatewayConfigSpec } from "@triphub/gateway";
import { paymentConfigSpec } from "@triphub/payment";
import { reservationConfigSpec } from "@triphub/reservation";
import { reviewConfigSpec } from "@triphub/review";
import type { EnvVar } from "@triphub/platform";
import { renderKustomization } from "../src/kustomize.js";
import type { Manifest } from "../src/manifest.js";

/** Where the repository's files are, from this test folder. */
export const repoPath = (p: string): string => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

/** A deployed service: its name in the cluster (Deployment, Service, proto package), its package folder and config. */
export interface DeployedService {
  name: string;
  dir: string;
  port: number;
  database: boolean;
}

const spec = (name: string, dir: string, s: { PORT: EnvVar<number> }): DeployedService => ({
  name,
  dir,
  // The port the service listens on when nothing sets PORT: what the manifests must probe.
  port: s.PORT.parse(undefined),
  database: "DATABASE_URL" in s,
});

/** Every service process the platform runs, with the defaults of its own src/config.ts. */
export const SERVICES: DeployedService[] = [
  spec("auth", "auth", authConfigSpec),
  spec("config", "config-server", configServerConfigSpec),
  spec("accommodation", "accommodation", accommodationConfigSpec),
  spec("payment", "payment", paymentConfigSpec),
  spec("reservation", "reservation", reservationConfigSpec),
  spec("review", "review", reviewConfigSpec),
  spec("gateway", "gateway", gatewayConfigSpec),
];

/** Package folders that hold a process entry (src/main.ts) but are no deployed service, and why. */
export const NOT_SERVICES: Record<string, string> = {
  _template: "the template new services are copied from",
  devstack: "`npm start`, the local platform",
  bench: "load tests run from a workstation",
  // Issue 17: on Kubernetes the instance resolver reads the cluster's DNS / Endpoints, so the
  // registry is optional there; it runs in `npm start`. Its manifests are not written yet.
  registry: "the service registry, optional on Kubernetes (not deployed there yet)",
};

/** Folders under packages/ with a src/main.ts. */
export const processPackages = (): string[] =>
  readdirSync(repoPath("packages")).filter((d) => existsSync(repoPath(`packages/${d}/src/main.ts`)));

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

const rendered = new Map<string, Manifest[]>();
/** The overlay of `env`, rendered once per test file; callers get their own copy. */
export function render(env: string): Manifest[] {
  if (!rendered.has(env)) rendered.set(env, renderKustomization(repoPath(`infra/k8s/overlays/${env}`)));
  return structuredClone(rendered.get(env)!);
}
