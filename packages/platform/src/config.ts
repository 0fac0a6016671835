import { InvalidServiceAddress, parseServiceAddress, SERVICE_ADDRESS_FORMS, type ServiceAddress } from "./discovery/service-address.js";

/** Reads and checks one environment variable. */
export interface EnvVar<T> {
  parse(raw: string | undefined): T;
  /** What a valid value looks like, for the error message. */
  readonly expect: string;
  /** Never echo the value in a config error, whatever the variable is called (it may hold a secret). */
  readonly secret?: boolean;
}

/** Thrown at start-up when the environment is wrong; names every bad variable at once. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Thrown by an {@link EnvVar}'s parse when the value is wrong; its message follows the variable's name. */
export class InvalidValue extends Error {}

function variable<T>(expect: string, parse: (raw: string) => T, fallback?: () => T): EnvVar<T> {
  return {
    expect,
    parse(raw) {
      if (raw === undefined || raw === "") {
        if (fallback) return fallback();
        throw new InvalidValue("is required");
      }
      return parse(raw);
    },
  };
}

const given = <T>(value: T | undefined) => (value === undefined ? undefined : () => value);

// A service address as written, or InvalidValue saying what is accepted.
function checkedServiceAddress(address: string): ServiceAddress {
  try {
    return parseServiceAddress(address);
  } catch (e) {
    if (e instanceof InvalidServiceAddress) throw new InvalidValue(e.message);
    throw e;
  }
}

// Lists normalised (", " → ","); registry:/// and dns:/// as written.
const serviceAddressOf = (s: string) => {
  const parsed = checkedServiceAddress(s);
  return parsed.kind === "urls" ? parsed.urls.join(",") : s.trim();
};

const SERVICE_URL = `a service address: ${SERVICE_ADDRESS_FORMS}`;

/** Typed environment variables with defaults. */
export const env = {
  string: (fallback?: string) => variable("a string", (s) => s, given(fallback)),
  optionalString: () => variable<string | undefined>("a string", (s) => s, () => undefined),
  /** A secret of at least `minLength` characters, or unset. Never echoed in errors (name it *KEY*, *SECRET*...). */
  optionalSecret: (minLength: number) =>
    variable<string | undefined>(`a secret of at least ${minLength} characters`, (s) => {
      if (s.length < minLength) throw new InvalidValue(`must be at least ${minLength} characters`);
      return s;
    }, () => undefined),
  int(opts: { default?: number; min?: number; max?: number } = {}) {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = opts;
    return variable(`an integer from ${min} to ${max}`, (s) => {
      const n = Number(s);
      if (!/^-?\d+$/.test(s) || n < min || n > max) throw new InvalidValue(`must be an integer from ${min} to ${max}`);
      return n;
    }, given(opts.default));
  },
  port: (fallback?: number) => env.int({ default: fallback, min: 0, max: 65535 }),
  bool: (fallback?: boolean) =>
    variable("true or false", (s) => {
      if (/^(1|true|yes)$/i.test(s)) return true;
      if (/^(0|false|no)$/i.test(s)) return false;
      throw new InvalidValue("must be true or false");
    }, given(fallback)),
  url: (fallback?: string, protocols?: string[]) =>
    variable(`a URL${protocols ? ` (${protocols.join(", ")})` : ""}`, (s) => {
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        throw new InvalidValue("must be a URL");
      }
      if (protocols && !protocols.includes(u.protocol.replace(/:$/, ""))) {
        throw new InvalidValue(`must use ${protocols.join(" or ")}`);
      }
      return s;
    }, given(fallback)),
  /**
   * The address of a service this one calls: one URL, the URLs of its instances separated by
   * commas, `registry:///<service>` or `dns:///<host>:<port>` (see `parseServiceAddress`), which
   * `createServiceClient` takes as it is. Use it for every `<SERVICE>_URL` a service calls, so a
   * second instance, or finding them through the registry, is a change of environment only.
   */
  serviceUrl: (fallback?: string) => variable(SERVICE_URL, serviceAddressOf, given(fallback)),
  /** {@link env.serviceUrl}, or undefined when unset. */
  optionalServiceUrl: () => variable<string | undefined>(SERVICE_URL, serviceAddressOf, () => undefined),
  optionalUrl: (protocols?: string[]) => {
    const inner = env.url(undefined, protocols);
    return variable<string | undefined>(inner.expect, (s) => inner.parse(s), () => undefined);
  },
  oneOf: <const V extends string>(values: readonly V[], fallback?: V) =>
    variable(`one of ${values.join(", ")}`, (s) => {
      if (!(values as readonly string[]).includes(s)) throw new InvalidValue(`must be one of ${values.join(", ")}`);
      return s as V;
    }, given(fallback)),
};

/** The typed result of a spec. */
export type ConfigOf<S extends Record<string, EnvVar<unknown>>> = { [K in keyof S]: ReturnType<S[K]["parse"]> };

/**
 * Reads every variable of `spec` from `source` (main.ts passes `process.env`), or throws one
 * ConfigError naming each bad variable, what it held and what it should hold. Values of
 * variables that look secret are never echoed.
 */
export function loadConfig<S extends Record<string, EnvVar<unknown>>>(
  spec: S,
  source: Record<string, string | undefined>,
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, v] of Object.entries(spec)) {
    const raw = source[name];
    try {
      out[name] = v.parse(raw);
    } catch (e) {
      if (!(e instanceof InvalidValue)) throw e;
      const hidden = v.secret === true || /SECRET|PASSWORD|KEY|TOKEN|URL/i.test(name);
      const shown = raw === undefined ? "unset" : hidden ? "(hidden)" : JSON.stringify(raw);
      problems.push(`${name} ${e.message} (expected ${v.expect}; got ${shown})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  return out as ConfigOf<S>;
}
