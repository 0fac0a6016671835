import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/**
 * Every document of a YAML file as plain data, `<<` merge keys resolved. A syntax error, a
 * duplicate key or an unresolved alias throws, naming the file.
 */
export function readYamlDocuments(file: string): unknown[] {
  return parseYamlDocuments(readFileSync(file, "utf8"), file);
}

/** {@link readYamlDocuments} on text. */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: true });
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** The one document of a YAML file. */
export function readYamlFile(file: string): unknown {
  const docs = readYamlDocuments(file);
  if (docs.length !== 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}
