/**
 * Where a client finds the service it calls, as an operator writes it in a `<SERVICE>_URL`
 * variable (or a gateway UPSTREAMS entry):
 * - `http://host:port` (or `https://`), one or several: fixed instances;
 * - `registry:///accommodation`: the instances TripHub's registry (REGISTRY_URL) lists, followed live;
 * - `dns:///accommodation.triphub.svc:7102`: every address the name resolves to (a cluster's
 *   headless Service), looked up again every few seconds. Names in gRPC's target syntax.
 */
export type ServiceAddress =
  | { kind: "urls"; urls: string[] }
  | { kind: "registry"; service: string }
  | { kind: "dns"; host: string; port: number };

/** A value that is not a service address; the message says what is accepted. */
export class InvalidServiceAddress extends Error {}

const REGISTRY = /^registry:\/\/\/([a-z][a-z0-9-]{0,62})$/;
const DNS = /^dns:\/\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** The forms {@link parseServiceAddress} accepts, for error messages. */
export const SERVICE_ADDRESS_FORMS =
  "http(s) URLs (several separated by commas), registry:///<service> or dns:///<host>:<port>";

/**
 * Parses a service address; `separator` splits a list of URLs (`,` in variables, `|` in the
 * gateway's UPSTREAMS). Throws {@link InvalidServiceAddress} naming what is wrong.
 */
export function parseServiceAddress(address: string, separator = ","): ServiceAddress {
  const trimmed = address.trim();
  const registry = REGISTRY.exec(trimmed);
  if (registry) return { kind: "registry", service: registry[1]! };
  const dns = DNS.exec(trimmed);
  if (dns) {
    const port = Number(dns[2]);
    if (port < 1 || port > 65535) throw new InvalidServiceAddress(`must name a port from 1 to 65535 ("${trimmed}")`);
    return { kind: "dns", host: dns[1]!.replace(/^\[|\]$/g, ""), port };
  }
  if (/^(registry|dns):/.test(trimmed)) {
    throw new InvalidServiceAddress(`must be registry:///<service> (lower case) or dns:///<host>:<port> ("${trimmed}")`);
  }
  const urls = trimmed
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
  if (urls.length === 0) throw new InvalidServiceAddress("must name at least one URL");
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new InvalidServiceAddress(`must be http(s) URLs separated by commas ("${u}" is not a URL)`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new InvalidServiceAddress(`must use http or https ("${u}")`);
    }
  }
  return { kind: "urls", urls };
}
