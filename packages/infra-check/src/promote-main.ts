// CI's promotion step: `promote-main.ts <env> <tag>` sets every TripHub image of
// infra/k8s/overlays/<env> to <tag>; `promote-main.ts <env> --from <other-env>` copies the tags
// <other-env> runs. The workflow commits the result; Argo CD deploys the commit.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { imageTags, setImageTags } from "./promote.js";

const [env, tagOrFlag, from] = process.argv.slice(2);
const file = (e: string) => fileURLToPath(new URL(`../../../infra/k8s/overlays/${e}/kustomization.yaml`, import.meta.url));
if (!env || !tagOrFlag || (tagOrFlag === "--from" && !from)) {
  process.stderr.write("usage: promote-main.ts <env> <tag> | <env> --from <env>\n");
  process.exit(2);
}
let text = readFileSync(file(env), "utf8");
const tags = tagOrFlag === "--from" ? imageTags(readFileSync(file(from), "utf8")) : new Map([...imageTags(text).keys()].map((k) => [k, tagOrFlag]));
for (const [image, tag] of tags) text = setImageTags(text, [image], tag);
writeFileSync(file(env), text);
process.stdout.write(`${env}: ${[...tags].map(([i, t]) => `${i}:${t}`).join(", ")}\n`);
