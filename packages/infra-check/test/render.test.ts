import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderKustomization } from "../src/kustomize.js";
import { manifestProblems } from "../src/schemas.js";

const overlays = fileURLToPath(new URL("../../../infra/k8s/overlays/", import.meta.url));

describe("overlays", () => {
  it.each(["dev", "staging", "prod"])("%s renders and every manifest matches its schema with no unknown field", (env) => {
    const manifests = renderKustomization(`${overlays}${env}`);
    expect(manifests.length).toBeGreaterThan(50);
    expect(manifests.flatMap(manifestProblems)).toEqual([]);
  });
});
