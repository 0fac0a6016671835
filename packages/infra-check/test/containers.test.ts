// The Dockerfile every service is built with and the compose file of the whole platform: linted
// and checked here, as no Docker engine runs on these machines.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { composeProblems } from "../src/compose-check.js";
import { dockerfileProblems } from "../src/dockerfile-lint.js";
import { parseYamlDocuments } from "../src/yaml-files.js";
import { repoPath, SERVICES } from "./services.js";

const dockerfile = readFileSync(repoPath("infra/docker/Dockerfile"), "utf8");
const compose = readFileSync(repoPath("compose.yaml"), "utf8");
// `${NAME}` as the files spell an interpolation.
const interpolated = (name: string) => `\${${name}}`;

describe("the Dockerfile", () => {
  it("passes the linter and TripHub's rules", () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  it.each([
    ["a root user", (d: string) => d.replace("USER 1000:1000", "USER root"), "the runtime stage runs as root"],
    ["no USER", (d: string) => d.replace("USER 1000:1000\n", ""), "the runtime stage sets no USER: it would run as root"],
    ["a latest base", (d: string) => d.replace(/ARG NODE_IMAGE=\S+/, "ARG NODE_IMAGE=node:latest"), "base image node:latest is not pinned (latest)"],
    ["no HEALTHCHECK", (d: string) => d.replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, ""), "the runtime stage has no HEALTHCHECK"],
    ["one stage", () => `FROM node:20.19.5-alpine3.22\nUSER 1000\nHEALTHCHECK CMD ["true"]\nCMD ["node", "main.js"]\n`, "one stage only"],
    ["a shell-form CMD", (d: string) => d.replace('CMD ["node", "dist/main.js"]', "CMD node dist/main.js"), "use the exec form"],
    ["a secret in ENV", (d: string) => d.replace("ENV NODE_ENV=production", "ENV SERVICE_CLIENT_SECRET=x NODE_ENV=production"), "a secret in ENV stays in the image"],
    ["a syntax error", (d: string) => d.replace(`EXPOSE ${interpolated("PORT")}`, "EXPOSE"), "line"],
  ])("catches %s", (_what, edit, message) => {
    const edited = edit(dockerfile);
    expect(edited).not.toBe(dockerfile);
    expect(dockerfileProblems(edited).join("\n")).toContain(message);
  });
});

describe("compose.yaml", () => {
  it("has a healthcheck on every service, healthy-dependency ordering, pinned images and no secret in the file", () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it("runs every service on its own port from the one Dockerfile", () => {
    const services = (parse(compose).services ?? {}) as Record<string, { build?: { dockerfile?: string; args?: Record<string, string> } }>;
    for (const s of SERVICES) {
      expect(services[s.name]?.build?.dockerfile, s.name).toBe("infra/docker/Dockerfile");
      expect(services[s.name]?.build?.args, s.name).toEqual({ SERVICE: s.dir, PORT: String(s.port) });
    }
  });

  it.each([
    ["an unpinned image", (c: string) => c.replace("image: redis:7.4.1-alpine3.20", "image: redis"), "redis: image redis is not pinned"],
    ["a latest image", (c: string) => c.replace("image: prom/prometheus:v2.55.0", "image: prom/prometheus:latest"), "prometheus: image prom/prometheus:latest is not pinned"],
    ["a missing healthcheck", (c: string) => c.replace(/ {2}redis:\n(.*\n)*? {4}healthcheck:\n(.*\n){4}/, "  redis:\n    image: redis:7.4.1-alpine3.20\n"), "redis: no healthcheck"],
    ["a dependency without condition", (c: string) => c.replace("redis: { condition: service_healthy }", "redis: { condition: service_started }"), "without condition service_healthy"],
    ["an inline secret", (c: string) => c.replace(interpolated("GATEWAY_CLIENT_SECRET:?run infra/compose/make-env.mjs"), "hunter2hunter2"), "gateway: SERVICE_CLIENT_SECRET is written in the file"],
    ["a password in a URL", (c: string) => c.replace(`postgres://triphub:${interpolated("POSTGRES_PASSWORD")}@postgres:5432/triphub_payment`, "postgres://triphub:pw@postgres:5432/triphub_payment"), "payment: DATABASE_URL has a password written in the file"],
  ])("catches %s", (_what, edit, message) => {
    const edited = edit(compose);
    expect(edited).not.toBe(compose);
    expect(composeProblems(edited).join("\n")).toContain(message);
  });
});

function parse(text: string): { services?: unknown } {
  return parseYamlDocuments(text, "compose.yaml")[0] as { services?: unknown };
}
