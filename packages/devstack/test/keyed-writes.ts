// A host creating properties through the gateway, each with its own request id (AIP-155), the
// way a real app retries: on any failure it sends the same request with the same id again.
import { randomUUID } from "node:crypto";
import { HANOK_PROPERTY } from "./fixtures/hanok-property.js";

/** Writes running until stopped. */
export interface KeyedWrites {
  /** Ends the loops once their writes in flight are done. */
  stop(): Promise<{
    /** The request id of every write started. */
    keys: string[];
    /** Attempts sent again after a failed one. */
    retried: number;
    /** Writes that still failed after every attempt, described. */
    failures: string[];
  }>;
  /**
   * Sends the writes of `keys` again, as a client whose answer was lost would; resolves to the
   * request ids whose answer named another property than the first time.
   */
  replay(keys: readonly string[]): Promise<string[]>;
  /** How many of the host's properties each request id created (read back through the gateway). */
  createdByKey(): Promise<Map<string, number>>;
}

const PASSWORD = "correct horse battery";
// One request a real client would wait out: five attempts over about three seconds.
const BACKOFF_MS = [200, 400, 800, 1_600];
const NAME_PREFIX = "Control plane ";

const PROPERTY = HANOK_PROPERTY;

/**
 * Makes a host (signed up, given HOST by the bootstrap admin `adminEmail`, signed in again) and
 * starts `loops` loops creating properties, named after their request id.
 */
export async function startKeyedWrites(gatewayUrl: string, adminEmail: string, loops = 6): Promise<KeyedWrites> {
  const post = async (path: string, body: unknown, token?: string, idempotencyKey?: string) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    return fetch(`${gatewayUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  };
  const signUp = async (email: string) => {
    const res = await post("/api/v1/users", { email, password: PASSWORD, displayName: "Control Plane" });
    if (res.status !== 200) throw new Error(`sign-up of ${email}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { user: { userId: string }; tokens: { accessToken: string } };
  };
  const admin = await signUp(adminEmail);
  const hostEmail = `host-${randomUUID()}@control-plane.test`;
  const host = await signUp(hostEmail);
  const roles = await post(`/api/v1/users/${host.user.userId}:setRoles`, { roles: ["ROLE_GUEST", "ROLE_HOST"] }, admin.tokens.accessToken);
  if (roles.status !== 200) throw new Error(`setRoles: ${roles.status} ${await roles.text()}`);
  const login = await post("/api/v1/auth:login", { email: hostEmail, password: PASSWORD });
  const token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;

  let running = true;
  let retried = 0;
  const keys: string[] = [];
  const failures: string[] = [];
  // The property each request id's first answer named.
  const created = new Map<string, string>();
  const create = async (key: string): Promise<string | undefined> => {
    const attempts: string[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        // The key as REST clients send it: the gateway fills CreateProperty's request_id from it.
        const res = await post("/api/v1/accommodations", { ...PROPERTY, name: `${NAME_PREFIX}${key}` }, token, key);
        const body = await res.text();
        if (res.status === 200) return (JSON.parse(body) as { propertyId: string }).propertyId;
        attempts.push(`${res.status} ${body.slice(0, 200)}`);
      } catch (e) {
        attempts.push((e as Error).message);
      }
      const wait = BACKOFF_MS[attempt];
      if (wait === undefined) {
        failures.push(`${key}: ${attempts.join(" | ")}`);
        return;
      }
      retried++;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
  const all = Array.from({ length: loops }, async () => {
    while (running) {
      const key = randomUUID();
      keys.push(key);
      const id = await create(key);
      if (id) created.set(key, id);
    }
  });

  return {
    async stop() {
      running = false;
      await Promise.all(all);
      return { keys, retried, failures };
    },
    async replay(again) {
      const differ: string[] = [];
      for (const key of again) if ((await create(key)) !== created.get(key)) differ.push(key);
      return differ;
    },
    async createdByKey() {
      const counts = new Map<string, number>();
      let pageToken = "";
      do {
        const res = await fetch(`${gatewayUrl}/api/v1/users/me/accommodations?pageSize=100&pageToken=${encodeURIComponent(pageToken)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.status !== 200) throw new Error(`ListMyProperties: ${res.status} ${await res.text()}`);
        const page = (await res.json()) as { properties?: { name: string }[]; nextPageToken?: string };
        for (const p of page.properties ?? []) {
          const key = p.name.startsWith(NAME_PREFIX) ? p.name.slice(NAME_PREFIX.length) : p.name;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        pageToken = page.nextPageToken ?? "";
      } while (pageToken);
      return counts;
    },
  };
}
