import { randomBytes } from "node:crypto";

/**
 * Fresh keys for a service that seals personal data (DATA_KEKS with one key, BLIND_INDEX_KEY),
 * as environment values. Tests make their own: no key is ever shared with a real deployment.
 * Keep the result to restart a service on the same database.
 */
export function testSealingKeys(kekId = "test1"): { DATA_KEKS: string; BLIND_INDEX_KEY: string } {
  return { DATA_KEKS: `${kekId}:${randomBytes(32).toString("base64")}`, BLIND_INDEX_KEY: randomBytes(32).toString("base64") };
}
