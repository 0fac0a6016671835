import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Paths whose values never reach a log line: credentials, tokens and personal data. Wildcards
 * cover them at any depth we log (request headers, RPC messages, errors).
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["x-service-token"]',
  "headers.authorization",
  'headers["x-service-token"]',
  'headers["x-api-key"]',
  "*.clientSecret",
  "*.client_secret",
  "*.access_token",
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "*.accessToken",
  "*.refreshToken",
  "*.secret",
  "*.token",
  "*.privateJwk",
  // Social login: a link token stands in for a password proof; ID tokens and PKCE verifiers.
  "*.linkToken",
  "*.link_token",
  "*.idToken",
  "*.id_token",
  "*.codeVerifier",
  "*.code_verifier",
  "*.cardNumber",
  "*.email",
  "*.phone",
  // A booking's contact (name, email, phone) and the card token it authorizes with.
  "*.contact",
  "*.*.contact",
  "*.paymentMethodToken",
  "*.*.paymentMethodToken",
  "*.*.password",
  "*.*.accessToken",
  "*.*.refreshToken",
  "*.*.email",
  "*.*.phone",
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** The root JSON logger of a service process, with secrets and personal data redacted. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}
