import * as argoCd from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import * as argoRollouts from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1";
import * as istioNetworking from "@kubernetes-models/istio/networking.istio.io/v1beta1";
import * as istioSecurity from "@kubernetes-models/istio/security.istio.io/v1beta1";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as coreV1 from "kubernetes-models/v1";
import { idOf, isMap, type Manifest } from "./manifest.js";

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

const isModelClass = (v: unknown): v is ModelClass =>
  typeof v === "function" && typeof (v as Partial<ModelClass>).kind === "string" && typeof (v as Partial<ModelClass>).apiVersion === "string";

// The schemas every manifest is checked against, by apiVersion and kind: Kubernetes' own,
// Istio's, Argo CD's and Argo Rollouts'.
const MODELS = new Map<string, ModelClass>();
for (const group of [coreV1, appsV1, batchV1, autoscalingV2, policyV1, networkingV1, istioNetworking, istioSecurity, argoCd, argoRollouts]) {
  for (const value of Object.values(group)) if (isModelClass(value)) MODELS.set(`${value.apiVersion}/${value.kind}`, value);
}

/**
 * What is wrong with a manifest: its kind has no schema here, it breaks its schema (wrong types,
 * missing required fields, bad enums), or it has fields the schema does not know. The models'
 * `validate()` lets unknown fields through (the schemas allow additional properties, as the API
 * server would drop them with only a warning), so a misspelt field would pass: `readinesProbe`
 * would leave a container without its probe. Empty when the manifest is fine.
 */
export function manifestProblems(m: Manifest): string[] {
  const Model = MODELS.get(`${m.apiVersion}/${m.kind}`);
  if (!Model) return [`${idOf(m)}: no schema for ${m.apiVersion} ${m.kind}`];
  const problems: string[] = [];
  // The model copies the data; its validate function reads the copy, through a proxy that
  // records every field the schema looked at. A field it never looked at is one it does not know.
  const model = new Model(m);
  const { proxy, read } = recordingReads(model);
  try {
    model.validate.call(proxy);
  } catch (e) {
    problems.push(`${idOf(m)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const path of unreadFields(model, read)) problems.push(`${idOf(m)}: unknown field ${path}`);
  return problems;
}

function recordingReads(root: object): { proxy: object; read: Set<string> } {
  const read = new Set<string>();
  const wrap = (v: unknown, path: string): unknown => {
    if (typeof v !== "object" || v === null) return v;
    return new Proxy(v, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return value;
        read.add(`${path}/${key}`);
        return wrap(value, `${path}/${key}`);
      },
      has(target, key) {
        if (typeof key === "string") read.add(`${path}/${key}`);
        return Reflect.has(target, key);
      },
      // A map's entries (labels, annotations, data) are validated by iterating its keys.
      ownKeys(target) {
        const keys = Reflect.ownKeys(target);
        for (const key of keys) if (typeof key === "string") read.add(`${path}/${key}`);
        return keys;
      },
    });
  };
  return { proxy: wrap(root, "") as object, read };
}

// The outermost fields never read: below an unknown field everything is unknown too.
function unreadFields(v: unknown, read: Set<string>, path = "", out: string[] = []): string[] {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) unreadFields(x, read, `${path}/${i}`, out);
  }
  else if (isMap(v)) {
    for (const [key, value] of Object.entries(v)) {
      if (read.has(`${path}/${key}`)) unreadFields(value, read, `${path}/${key}`, out);
      else out.push(`${path}/${key}`);
    }
  }
  return out;
}
