import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";

// No hadolint or Docker engine here: dockerfile-utils' validator (the Dockerfile language
// server's: syntax, instruction arguments, flags) plus the rules TripHub's images keep.
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY/i;

/** What is wrong with a Dockerfile, one message per problem with its line; empty when it is fine. */
export function dockerfileProblems(content: string): string[] {
  const problems = validate(content)
    .filter((d) => d.severity === 1)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const file = DockerfileParser.parse(content);
  const line = (i: { getRange(): { start: { line: number } } }) => `line ${i.getRange().start.line + 1}`;
  // ARGs before the first FROM are the only ones a FROM line can use.
  const firstFrom = file.getFROMs()[0]?.getRange().start.line ?? Number.MAX_SAFE_INTEGER;
  const globals = new Map<string, string>();
  for (const arg of file.getARGs()) {
    const p = arg.getProperty();
    if (arg.getRange().start.line < firstFrom && p) globals.set(p.getName(), p.getValue() ?? "");
  }
  const expand = (s: string) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => globals.get(name) ?? `$${name}`);

  const froms = file.getFROMs();
  if (froms.length < 2) problems.push("one stage only: build in a stage of its own and copy the result into a runtime stage");
  const stages = new Set<string>();
  for (const from of froms) {
    const image = expand(from.getImage() ?? "");
    if (stages.has(image)) continue;
    const at = from.getBuildStage();
    if (at) stages.add(at);
    if (image.includes("$")) problems.push(`${line(from)}: base image ${image} depends on an argument without a default`);
    else if (!image.includes("@")) {
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      if (!tag) problems.push(`${line(from)}: base image ${image} has no tag`);
      else if (tag === "latest") problems.push(`${line(from)}: base image ${image} is not pinned (latest)`);
    }
  }
  // The runtime stage: everything after the last FROM.
  const lastFrom = froms.at(-1)?.getRange().start.line ?? 0;
  const runtime = file.getInstructions().filter((i) => i.getRange().start.line >= lastFrom);
  const keyword = (k: string) => runtime.filter((i) => i.getKeyword() === k);
  const user = keyword("USER").at(-1)?.getArgumentsContent()?.trim();
  if (!user) problems.push("the runtime stage sets no USER: it would run as root");
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`the runtime stage runs as ${user}`);
  else if (!/^\d+(:\d+)?$/.test(user)) problems.push(`USER ${user}: use a numeric uid, so that Kubernetes' runAsNonRoot can verify it`);
  if (keyword("HEALTHCHECK").length === 0) problems.push("the runtime stage has no HEALTHCHECK");
  const cmd = keyword("CMD").at(-1) ?? keyword("ENTRYPOINT").at(-1);
  if (!cmd) problems.push("the runtime stage has no CMD or ENTRYPOINT");
  else if (!cmd.getArgumentsContent()?.trim().startsWith("[")) problems.push(`${line(cmd)}: use the exec form (a JSON list), so the process gets SIGTERM itself`);
  for (const i of file.getInstructions()) {
    const k = i.getKeyword();
    if (k === "ADD") problems.push(`${line(i)}: ADD fetches and unpacks; use COPY`);
    if ((k === "ENV" || k === "ARG") && SECRET_NAME.test(i.getArgumentsContent() ?? "")) problems.push(`${line(i)}: a secret in ${k} stays in the image`);
  }
  return problems;
}
