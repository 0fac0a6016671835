import { isMap, type JsonMap } from "./manifest.js";
import { parseYamlDocuments } from "./yaml-files.js";

/** Parses an OpenTelemetry Collector configuration file's text; a syntax error is a problem. */
export function parseCollectorConfig(text: string, where: string): { config?: JsonMap; problems: string[] } {
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(text, where);
  } catch (e) {
    return { problems: [`${where}: not valid YAML: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (docs.length !== 1 || !isMap(docs[0])) return { problems: [`${where}: not one YAML mapping`] };
  return { config: docs[0], problems: [] };
}

// A component's id is `type` or `type/name`; the collector picks the implementation by type.
const typeOf = (id: string) => id.split("/")[0];
const section = (v: unknown, key: string): JsonMap => (isMap(v) && isMap(v[key]) ? v[key] : {});
const names = (v: unknown, key: string): string[] => (isMap(v) && Array.isArray(v[key]) ? v[key].map(String) : []);

/**
 * What the collector would refuse in `config`, or what would lose traces; empty when nothing.
 * There is a traces pipeline; every pipeline has receivers and exporters, every component it names
 * is defined, it batches (a `batch` processor) and, when it limits memory, does so first (the
 * collector's own advice); the extensions the service enables are defined.
 */
export function collectorConfigProblems(config: JsonMap, where: string): string[] {
  const problems: string[] = [];
  const service = section(config, "service");
  const pipelines = section(service, "pipelines");
  if (!Object.keys(pipelines).some((n) => typeOf(n) === "traces")) problems.push(`${where}: no traces pipeline`);
  for (const [name, pipeline] of Object.entries(pipelines)) {
    for (const kind of ["receivers", "processors", "exporters"] as const) {
      const used = names(pipeline, kind);
      if (kind !== "processors" && used.length === 0) problems.push(`${where}: pipeline ${name} has no ${kind}`);
      const defined = section(config, kind);
      for (const id of used) if (!(id in defined)) problems.push(`${where}: pipeline ${name} uses ${kind.slice(0, -1)} ${id}, which is not defined`);
    }
    const processors = names(pipeline, "processors");
    if (!processors.some((id) => typeOf(id) === "batch")) problems.push(`${where}: pipeline ${name} does not batch (no batch processor)`);
    const limiter = processors.findIndex((id) => typeOf(id) === "memory_limiter");
    if (limiter > 0) problems.push(`${where}: pipeline ${name} limits memory after other processors (memory_limiter must come first)`);
  }
  const extensions = section(config, "extensions");
  for (const id of names(service, "extensions")) if (!(id in extensions)) problems.push(`${where}: service enables extension ${id}, which is not defined`);
  return problems;
}

/**
 * The addresses the config's OTLP receivers listen on for OTLP/HTTP, as `host:port` (the
 * collector's default, `localhost:4318`, when the protocol is on without an endpoint).
 */
export function otlpHttpEndpoints(config: JsonMap): string[] {
  return Object.entries(section(config, "receivers"))
    .filter(([id]) => typeOf(id) === "otlp")
    .flatMap(([, receiver]) => {
      const protocols = section(receiver, "protocols");
      if (!("http" in protocols)) return [];
      const http = protocols.http;
      return [isMap(http) && typeof http.endpoint === "string" ? http.endpoint : "localhost:4318"];
    });
}

/** The environment variables a config needs (`${env:NAME}` or `${NAME}` without a `:-default`). */
export function envReferences(text: string): string[] {
  const refs = [...text.matchAll(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)];
  return [...new Set(refs.filter(([, , fallback]) => fallback === undefined).map(([, name]) => name))];
}
