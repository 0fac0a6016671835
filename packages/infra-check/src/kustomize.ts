import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { applyJsonPatch, asPatchOperations } from "./json-patch.js";
import { asManifest, idOf, isMap, type JsonMap, type Manifest } from "./manifest.js";
import { strategicMerge } from "./strategic-merge.js";
import { parseYamlDocuments, readYamlDocuments, readYamlFile } from "./yaml-files.js";

// No kustomize binary runs here (nor on CI's machine), so this renders the overlays the way
// `kustomize build` does for the fields they use. A field it does not know throws: an overlay
// never renders here with a part of it silently left out.
const KNOWN_FIELDS = new Set(["apiVersion", "kind", "namespace", "resources", "labels", "images", "patches"]);

// Kinds that live outside any namespace: the namespace transformer leaves them alone.
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass"]);

/** Renders the kustomization in `dir` (a folder with kustomization.yaml) to its manifests. */
export function renderKustomization(dir: string): Manifest[] {
  const file = join(dir, "kustomization.yaml");
  const k = readYamlFile(file);
  if (!isMap(k)) throw new Error(`${file}: not a mapping`);
  for (const key of Object.keys(k)) if (!KNOWN_FIELDS.has(key)) throw new Error(`${file}: field ${key} is not supported by this renderer`);

  let out: Manifest[] = [];
  for (const entry of list(k.resources, `${file} resources`)) {
    const path = resolve(dir, String(entry));
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) out.push(...renderKustomization(path));
    else out.push(...readYamlDocuments(path).map((d) => asManifest(d, relative(process.cwd(), path))));
  }
  for (const patch of list(k.patches, `${file} patches`)) out = applyPatch(out, patch, dir, file);
  for (const label of list(k.labels, `${file} labels`)) addLabels(out, label, file);
  for (const image of list(k.images, `${file} images`)) setImage(out, image, file);
  if (k.namespace !== undefined) {
    for (const m of out) if (!CLUSTER_SCOPED.has(m.kind)) m.metadata.namespace = String(k.namespace);
  }
  const seen = new Set<string>();
  for (const m of out) {
    const id = `${m.apiVersion}/${idOf(m)}@${m.metadata.namespace ?? ""}`;
    if (seen.has(id)) throw new Error(`${file}: ${idOf(m)} is defined twice`);
    seen.add(id);
  }
  return out;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${where}: must be a list`);
  return v;
}

function applyPatch(manifests: Manifest[], entry: unknown, dir: string, file: string): Manifest[] {
  if (!isMap(entry)) throw new Error(`${file}: a patch must be a mapping`);
  for (const key of Object.keys(entry)) if (!["path", "patch", "target"].includes(key)) throw new Error(`${file}: patch field ${key} is not supported`);
  const where = `${file} patch ${String(entry.path ?? "(inline)")}`;
  const docs = typeof entry.path === "string" ? readYamlDocuments(join(dir, entry.path)) : typeof entry.patch === "string" ? parseYamlDocuments(entry.patch, where) : [];
  if (docs.length !== 1) throw new Error(`${where}: one patch document expected, found ${docs.length}`);
  const doc = docs[0];
  const target = entry.target === undefined ? undefined : asTarget(entry.target, where);
  if (Array.isArray(doc)) {
    if (!target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
    const ops = asPatchOperations(doc, where);
    const hits = manifests.filter((m) => matches(m, target));
    if (hits.length === 0) throw new Error(`${where}: its target matches nothing`);
    for (const m of hits) applyJsonPatch(m, ops, `${where} on ${idOf(m)}`);
    return manifests;
  }
  // A strategic merge patch names its own target by kind and name unless one is given.
  const self = asManifest(doc, where);
  const t = target ?? { kind: self.kind, name: self.metadata.name };
  let hit = 0;
  const out = manifests.map((m) => {
    if (!matches(m, t)) return m;
    hit++;
    return strategicMerge(m, { ...self, metadata: { ...self.metadata, name: m.metadata.name } }, `${where} on ${idOf(m)}`) as Manifest;
  });
  if (hit === 0) throw new Error(`${where}: its target matches nothing`);
  return out;
}

interface Target {
  kind?: string;
  name?: string;
}

function asTarget(v: unknown, where: string): Target {
  if (!isMap(v)) throw new Error(`${where}: target must be a mapping`);
  for (const key of Object.keys(v)) if (!["kind", "name"].includes(key)) throw new Error(`${where}: target field ${key} is not supported`);
  return { kind: v.kind as string | undefined, name: v.name as string | undefined };
}

// kustomize reads a target's name as a regular expression matched against the whole name.
const matches = (m: Manifest, t: Target) => (t.kind === undefined || t.kind === m.kind) && (t.name === undefined || new RegExp(`^(?:${t.name})$`).test(m.metadata.name));

function addLabels(manifests: Manifest[], entry: unknown, file: string): void {
  if (!isMap(entry) || !isMap(entry.pairs)) throw new Error(`${file}: labels entries need pairs`);
  // Selectors are immutable once applied: the overlays only label metadata.
  if (entry.includeSelectors !== false) throw new Error(`${file}: labels must say includeSelectors: false`);
  for (const key of Object.keys(entry)) if (!["pairs", "includeSelectors"].includes(key)) throw new Error(`${file}: labels field ${key} is not supported`);
  for (const m of manifests) m.metadata.labels = { ...(isMap(m.metadata.labels) ? m.metadata.labels : {}), ...entry.pairs };
}

function setImage(manifests: Manifest[], entry: unknown, file: string): void {
  if (!isMap(entry) || typeof entry.name !== "string") throw new Error(`${file}: an images entry needs a name`);
  for (const key of Object.keys(entry)) if (!["name", "newName", "newTag", "digest"].includes(key)) throw new Error(`${file}: images field ${key} is not supported`);
  let hit = 0;
  for (const container of containersOf(manifests)) {
    const image = String(container.image);
    const at = image.search(/[@:][^/]*$/);
    const name = at < 0 ? image : image.slice(0, at);
    if (name !== entry.name) continue;
    hit++;
    const tag = typeof entry.digest === "string" ? `@${entry.digest}` : entry.newTag !== undefined ? `:${entry.newTag}` : at < 0 ? "" : image.slice(at);
    container.image = `${String(entry.newName ?? name)}${tag}`;
  }
  if (hit === 0) throw new Error(`${file}: image ${entry.name} is used by no container`);
}

/** Every container and init container of every manifest, wherever its pod template sits. */
export function containersOf(manifests: Manifest[]): JsonMap[] {
  const out: JsonMap[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (isMap(v)) {
      for (const [key, value] of Object.entries(v)) {
        if ((key === "containers" || key === "initContainers") && Array.isArray(value)) out.push(...value.filter(isMap));
        else walk(value);
      }
    }
  };
  walk(manifests);
  return out;
}
