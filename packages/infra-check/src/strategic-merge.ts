import { isMap } from "./manifest.js";

/**
 * Kubernetes' strategic merge for what the overlays use: mappings merge key by key, and lists
 * of named items (containers, env, ports, volumes) merge item by item on `name`; any other list
 * is replaced, as for a list without a merge key. Directives (`$patch`, `$setElementOrder`,
 * `$retainKeys`) are not supported and throw rather than being applied wrongly.
 */
export function strategicMerge(target: unknown, patch: unknown, where: string): unknown {
  if (isMap(patch)) {
    for (const key of Object.keys(patch)) {
      if (key.startsWith("$")) throw new Error(`${where}: strategic merge directive ${key} is not supported`);
    }
    if (!isMap(target)) return patch;
    const out = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      out[key] = value === null ? undefined : key in target ? strategicMerge(target[key], value, `${where}.${key}`) : value;
      if (out[key] === undefined) delete out[key];
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(target) && isNamedList(patch) && isNamedList(target)) {
    const out = [...target];
    for (const item of patch) {
      const at = out.findIndex((t) => t.name === item.name);
      if (at < 0) out.push(item);
      else out[at] = strategicMerge(out[at], item, `${where}[${item.name}]`) as { name: string };
    }
    return out;
  }
  return patch;
}

const isNamedList = (list: unknown[]): list is { name: string }[] => list.every((item) => isMap(item) && typeof item.name === "string");
