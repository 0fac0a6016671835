/** A Kubernetes object as parsed from YAML: plain JSON values, nothing assumed about its kind. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [key: string]: unknown }; [key: string]: unknown };

/** A JSON object; what YAML mappings parse to. */
export type JsonMap = { [key: string]: unknown };

/** Whether `v` is a JSON object (not an array or null). */
export const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);

/** `Kind/name` for messages. */
export const idOf = (m: Manifest): string => `${m.kind}/${m.metadata.name}`;

/** Narrows a parsed document to a manifest, or says what is missing. */
export function asManifest(doc: unknown, where: string): Manifest {
  if (!isMap(doc)) throw new Error(`${where}: a document is not a mapping`);
  const meta = doc.metadata;
  if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string" || !isMap(meta) || typeof meta.name !== "string") {
    throw new Error(`${where}: a document lacks apiVersion, kind or metadata.name`);
  }
  return doc as Manifest;
}

/** A deep copy of JSON data. */
export const clone = <T>(v: T): T => structuredClone(v);
