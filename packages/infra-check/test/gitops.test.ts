// The CI workflow and its promotion step: every service is built from the one Dockerfile,
// scanned, and promoted by a commit that changes only image tags.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { databaseUrl, serverUrl } from "@triphub/testkit";
import { withConnection } from "@triphub/platform";
import { describe, expect, it } from "vitest";
import { containersOf } from "../src/kustomize.js";
import { imageTags, setImageTags } from "../src/promote.js";
import { parseYamlDocuments } from "../src/yaml-files.js";
import { plainEnv } from "../src/workloads.js";
import { render, repoPath, SERVICES } from "./services.js";

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps: Step[]; strategy?: { matrix: { include: { service: string; port: string }[] } } };
const workflow = parseYamlDocuments(readFileSync(repoPath(".github/workflows/ci.yaml"), "utf8"), "ci.yaml")[0] as { jobs: Record<string, Job> };

describe("the CI workflow", () => {
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it("runs .ci/run", () => {
    expect(workflow.jobs.check.steps.some((s) => s.run === "bash .ci/run")).toBe(true);
  });

  it("builds every service from the Dockerfile with its own port, and fails on a scan's findings", () => {
    const matrix = workflow.jobs.images.strategy!.matrix.include;
    expect(matrix).toEqual(SERVICES.map((s) => ({ service: s.dir, port: String(s.port) })));
    const build = workflow.jobs.images.steps.find((s) => s.uses?.startsWith("docker/build-push-action"));
    expect(build?.with?.file).toBe("infra/docker/Dockerfile");
    const scan = workflow.jobs.images.steps.find((s) => s.uses?.startsWith("aquasecurity/trivy-action"));
    expect(scan?.with?.["exit-code"]).toBe("1");
  });

  it("promotes dev by a commit after the images, and pins every action to a version", () => {
    expect(workflow.jobs["promote-dev"].steps.some((s) => s.run?.includes("promote-main.ts dev"))).toBe(true);
    expect(steps.filter((s) => s.uses && !/@(v\d+(\.\d+)*|[0-9a-f]{40}|\d+\.\d+\.\d+)$/.test(s.uses)).map((s) => s.uses)).toEqual([]);
  });
});

describe("a promotion", () => {
  const dev = readFileSync(repoPath("infra/k8s/overlays/dev/kustomization.yaml"), "utf8");

  it("changes only the tags, and every service image gets the new one", () => {
    const all = [...imageTags(dev).keys()];
    expect(all.sort()).toEqual(SERVICES.map((s) => `triphub/${s.dir}`).sort());
    const promoted = setImageTags(dev, all, "3f2a9c1");
    expect([...imageTags(promoted).values()]).toEqual(all.map(() => "3f2a9c1"));
    expect(promoted.split("\n").filter((l, i) => l !== dev.split("\n")[i]).every((l) => /^\s+newTag: 3f2a9c1$/.test(l))).toBe(true);
  });

  it("refuses a tag that is not one and an image the overlay does not run", () => {
    expect(() => setImageTags(dev, ["triphub/auth"], "x y")).toThrow(/not an image tag/);
    expect(() => setImageTags(dev, ["triphub/nope"], "1")).toThrow(/no images entry/);
  });
});

describe("the migration job", () => {
  it("migrates an empty database with the service's own entry point and exits 0", async () => {
    const job = render("prod").find((m) => m.kind === "Job" && m.metadata.name === "payment-migrate")!;
    const [container] = containersOf([job]);
    const env = Object.fromEntries(plainEnv(container));
    const name = `infra_migrate_${process.pid}_${Date.now()}`;
    await withConnection(serverUrl(), (sql) => sql.unsafe(`create database ${name}`));
    const url = databaseUrl(serverUrl(), name);
    // The image runs `node dist/main.js`; here the same main.ts from source.
    const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", "packages/payment/src/main.ts"], {
      cwd: repoPath(""),
      env: { ...process.env, ...env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, output).toBe(0);
    const applied = await withConnection(url, (sql) => sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied[0].n).toBeGreaterThan(0);
  }, 60_000);
});
