// Shipping logs to Elasticsearch (infra/logging): Filebeat's configuration and the index
// template, checked as files (no Filebeat or Elasticsearch runs here), and real lines of the
// chassis's logger checked against the template's mappings.
import { readFileSync } from "node:fs";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createService, createServiceClient, inSpan, requestInfo, startTracing, type Tracing } from "@triphub/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type IndexTemplate, logLineProblems, mappingAt } from "../src/log-template-check.js";
import { repoPath } from "./services.js";

const template = JSON.parse(readFileSync(repoPath("infra/logging/index-template.json"), "utf8")) as IndexTemplate;
const filebeat = parse(readFileSync(repoPath("infra/logging/filebeat.yml"), "utf8")) as Record<string, unknown>;

/** Lines the chassis writes while serving: a handler's, the RPC access line, a server fault with its error. */
async function chassisLines(): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ service: "log-shipping", level: "debug", destination: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  const host = await createService({
    name: "log-shipping",
    serviceNames: [AuthService.typeName],
    log,
    routes: (router) =>
      router.service(AuthService, {
        getMe: (_req, ctx) => {
          requestInfo(ctx, log).log.info({ reservationId: "r-1", nights: 2 }, "handler ran");
          return { user: { userId: "u1" } };
        },
        login: () => {
          throw new Error("the disk is on fire");
        },
      }),
  });
  const url = await host.listen({ port: 0 });
  const client = createServiceClient(AuthService, url);
  await inSpan("caller", {}, async () => {
    await client.getMe({});
    await client.login({ email: "ana@example.com", password: "hunter2 hunter2" }).catch(() => undefined);
  });
  await host.close();
  return lines;
}

let tracing: Tracing | undefined;
let lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  // Spans go nowhere: only their ids in the lines matter here.
  tracing = startTracing({ service: "log-shipping", env: {}, exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } });
  lines = await chassisLines();
});
afterAll(() => tracing?.shutdown());

describe("the index template", () => {
  it.each([
    ["@timestamp", "date"],
    ["log.level", "keyword"],
    ["service.name", "keyword"],
    ["trace.id", "keyword"],
    ["span.id", "keyword"],
    ["ecs.version", "keyword"],
    ["event.duration", "long"],
    ["error.type", "keyword"],
    ["http.response.status_code", "long"],
    ["user.id", "keyword"],
  ])("maps %s as %s", (path, type) => {
    expect(mappingAt(template, path)?.type).toBe(type);
  });

  it("is a data stream template for the index Filebeat writes to", () => {
    const output = filebeat["output.elasticsearch"] as { index: string };
    const matches = template.index_patterns.some((p) => new RegExp(`^${p.replace(/\*/g, ".*")}$`).test(output.index));
    expect(matches).toBe(true);
    expect(template).toHaveProperty("data_stream");
  });

  it("takes the chassis's real log lines as they are, trace ids and errors included", () => {
    const handler = lines.find((l) => l.message === "handler ran");
    const access = lines.find((l) => l.message === "rpc" && l.rpc === "triphub.auth.v1.AuthService/GetMe");
    const fault = lines.find((l) => l["log.level"] === "error");
    expect(handler).toMatchObject({ "service.name": "log-shipping", "trace.id": expect.stringMatching(/^[0-9a-f]{32}$/), "span.id": expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(access).toMatchObject({ "trace.id": handler?.["trace.id"], "event.duration": expect.any(Number) });
    expect(fault).toMatchObject({ error: { type: "Error", message: expect.stringContaining("disk is on fire") } });
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(logLineProblems(template, line), JSON.stringify(line)).toEqual([]);
  });

  it.each([
    ["trace.id as a number", (t: IndexTemplate) => Object.assign(t.template.mappings.properties.trace!.properties!, { id: { type: "long" } }), "trace.id"],
    ["no dynamic template for strings", (t: IndexTemplate) => Object.assign(t.template.mappings, { dynamic_templates: [] }), "reservationId"],
    ["a strict mapping", (t: IndexTemplate) => Object.assign(t.template.mappings, { dynamic: "strict" }), "not mapped"],
  ])("would refuse the lines with %s", (_what, edit, expected) => {
    const edited = structuredClone(template);
    edit(edited);
    expect(lines.flatMap((l) => logLineProblems(edited, l)).join("\n")).toContain(expected);
  });
});

describe("Filebeat's configuration", () => {
  const input = (filebeat["filebeat.inputs"] as Record<string, unknown>[])[0]!;
  const parsers = input.parsers as Record<string, Record<string, unknown>>[];

  it("decodes each container line as JSON with dotted keys expanded, at the top level", () => {
    expect(input.type).toBe("filestream");
    expect(parsers.map((p) => Object.keys(p)[0])).toEqual(["container", "ndjson"]);
    expect(parsers[1]!.ndjson).toMatchObject({ target: "", expand_keys: true, overwrite_keys: true, add_error_key: true, message_key: "message" });
  });

  it("sends to Elasticsearch with its address and key from the environment, and our template only", () => {
    const output = filebeat["output.elasticsearch"] as { hosts: string[]; api_key: string };
    // `${NAME}`: Filebeat reads it from the environment.
    expect(output.hosts).toEqual([`\${ELASTICSEARCH_HOSTS}`]);
    expect(output.api_key).toBe(`\${ELASTICSEARCH_API_KEY}`);
    expect(filebeat["setup.template.enabled"]).toBe(false);
    expect(Object.keys(filebeat).filter((k) => k.startsWith("output."))).toEqual(["output.elasticsearch"]);
  });
});
