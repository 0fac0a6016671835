import { isMap, type JsonMap } from "./manifest.js";
import { parseYamlDocuments } from "./yaml-files.js";

const SECRET_NAME = /SECRET|PASSWORD|_KEY$|TOKEN$|SERVICE_CLIENTS/;

/**
 * What is wrong with a compose file's structure; empty when nothing is. Every service has a
 * healthcheck and waits for its dependencies to be healthy (not merely started), every image
 * is pinned to a version, and every secret-looking variable comes from the environment
 * (`${VAR}` from .env), never a value written in the file.
 */
export function composeProblems(text: string): string[] {
  const [doc] = parseYamlDocuments(text, "compose.yaml");
  if (!isMap(doc) || !isMap(doc.services)) return ["no services"];
  const problems: string[] = [];
  const names = new Set(Object.keys(doc.services));
  for (const [name, raw] of Object.entries(doc.services)) {
    if (!isMap(raw)) {
      problems.push(`${name}: not a mapping`);
      continue;
    }
    const s: JsonMap = raw;
    const image = typeof s.image === "string" ? s.image : undefined;
    if (!image) problems.push(`${name}: no image`);
    else if (!image.includes("@")) {
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      if (!tag || tag === "latest") problems.push(`${name}: image ${image} is not pinned to a version`);
    }
    const hc = isMap(s.healthcheck) ? s.healthcheck : undefined;
    if (!hc || !Array.isArray(hc.test) || hc.test.length < 2 || hc.disable === true) problems.push(`${name}: no healthcheck`);
    if (s.depends_on !== undefined) {
      if (!isMap(s.depends_on)) problems.push(`${name}: depends_on must name a condition for each dependency`);
      else {
        for (const [dep, cond] of Object.entries(s.depends_on)) {
          if (!names.has(dep)) problems.push(`${name}: depends on unknown service ${dep}`);
          if (!isMap(cond) || cond.condition !== "service_healthy") problems.push(`${name}: depends on ${dep} without condition service_healthy`);
        }
      }
    }
    const env = isMap(s.environment) ? s.environment : {};
    if (Array.isArray(s.environment)) problems.push(`${name}: environment as a list; use a mapping`);
    for (const [key, value] of Object.entries(env)) {
      const v = String(value ?? "");
      if (SECRET_NAME.test(key) && v !== "" && !/^\$\{[A-Z0-9_]+(:?\?[^}]*)?\}$/.test(v)) problems.push(`${name}: ${key} is written in the file; take it from .env`);
      // A password inside a URL: only as an interpolation.
      const inUrl = /:\/\/[^:/@]+:([^@]+)@/.exec(v)?.[1];
      if (inUrl && !/^\$\{[A-Z0-9_]+\}$/.test(inUrl)) problems.push(`${name}: ${key} has a password written in the file`);
    }
  }
  return problems;
}
