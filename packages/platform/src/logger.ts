import pino, { type Logger } from "pino";
import { traceLogFields } from "./tracing/spans.js";

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
  "*.specialRequests",
  "*.*.specialRequests",
  "*.*.password",
  "*.*.accessToken",
  "*.*.refreshToken",
  "*.*.email",
  "*.*.phone",
];

/** The ECS version the log lines follow (the `ecs.version` field). */
export const ECS_VERSION = "8.11.0";

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/**
 * The root JSON logger of a service process, with secrets and personal data redacted. Lines are
 * ECS documents Elasticsearch takes as they are (infra/logging): `@timestamp`, `log.level`,
 * `message`, `service.name`, `ecs.version`, errors as `error.type`/`error.message`/
 * `error.stack_trace`, and `trace.id`/`span.id` on every line logged inside a traced request,
 * saga step or event being applied. The other fields are the caller's (camelCase).
 */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      messageKey: "message",
      base: { "service.name": opts.service, "ecs.version": ECS_VERSION, "process.pid": process.pid },
      timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      // A line that names its trace itself (the gateway's access log, written after the request's
      // context is gone) keeps it; any other takes the active span's.
      mixin: (line: object) => ("trace.id" in line ? {} : traceLogFields()),
      formatters: { level: (label) => ({ "log.level": label }), log: ecsError },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}

// `{ err }`, as the code logs errors, becomes ECS's `error` object: type, message and stack
// (with their causes, as pino's serializer writes them) and the error's code when it has one.
// An error already made loggable (loggableError: a database error without its values) keeps its
// extra fields beside them.
function ecsError(line: Record<string, unknown>): Record<string, unknown> {
  const { err, ...rest } = line;
  if (err instanceof Error) {
    const e = pino.stdSerializers.err(err);
    const code = (err as { code?: unknown }).code;
    const coded = typeof code === "string" || typeof code === "number" ? { code: String(code) } : {};
    return { ...rest, error: { type: e.type, message: e.message, stack_trace: e.stack, ...coded } };
  }
  if (typeof err === "object" && err !== null && typeof (err as { message?: unknown }).message === "string") {
    const { stack, ...fields } = err as Record<string, unknown>;
    return { ...rest, error: { ...fields, stack_trace: stack } };
  }
  return line;
}
