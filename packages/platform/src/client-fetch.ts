import * as https from "node:https";
import { type ClientTls, clientTls } from "./client-tls.js";

/** The subset of `fetch` the platform's HTTP clients use (token endpoint, JWKS, readiness probes). */
export type ClientFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

// One keep-alive agent per setting, so repeated calls (probes, JWKS refreshes) reuse a connection.
const agents = new WeakMap<ClientTls, https.Agent>();
function agentFor(tls: ClientTls): https.Agent {
  let agent = agents.get(tls);
  if (!agent) {
    agent = new https.Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, keepAlive: true });
    agents.set(tls, agent);
  }
  return agent;
}

/**
 * `fetch` with the platform's client TLS: an https URL is called with `tls` (default: the
 * process's, see `setClientTls`), so the server must hold a certificate of the platform's CA
 * and sees this process's certificate; anything else goes to the global `fetch`. Node's fetch
 * takes no CA or client certificate, hence node:https here. Bodies: string, bytes or form.
 */
export function createClientFetch(tls?: ClientTls): ClientFetch {
  return (input, init = {}) => {
    const url = new URL(String(input));
    const setting = tls ?? clientTls();
    if (url.protocol !== "https:" || !setting) return fetch(url, init);
    return request(url, init, agentFor(setting));
  };
}

/** {@link createClientFetch} with the process's client TLS, read at each call. */
export const clientFetch: ClientFetch = createClientFetch();

function request(url: URL, init: RequestInit, agent: https.Agent): Promise<Response> {
  const body = bodyOf(init.body);
  const headers = Object.fromEntries(new Headers(init.headers));
  if (body !== undefined) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? "GET", headers, agent, signal: init.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 502;
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
        }
        // These statuses have no body, and Response refuses one for them.
        const empty = status === 204 || status === 205 || status === 304;
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

function bodyOf(body: RequestInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof URLSearchParams) return Buffer.from(String(body));
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError("clientFetch sends string, bytes or URLSearchParams bodies only");
}
