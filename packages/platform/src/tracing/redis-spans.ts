import { SpanKind } from "@opentelemetry/api";
import { inSpan } from "./spans.js";
import { isTracing } from "./tracing-setup.js";

/** The methods of a node-redis v5 client every command, pipeline and transaction goes through. */
interface RedisInternals {
  _executeCommand(command: unknown, parser: { redisArgs: readonly unknown[] }, ...rest: unknown[]): Promise<unknown>;
  _executePipeline(commands: readonly unknown[], ...rest: unknown[]): Promise<unknown>;
  _executeMulti(commands: readonly unknown[], ...rest: unknown[]): Promise<unknown>;
}

const hasInternals = (client: object): client is RedisInternals =>
  ["_executeCommand", "_executePipeline", "_executeMulti"].every((m) => typeof (client as Record<string, unknown>)[m] === "function");

/**
 * `client` (node-redis v5) with a CLIENT span per command, pipeline or transaction made while a
 * span is active, named by the command (`GET`, `MULTI`): never its keys or values. There is no
 * OpenTelemetry instrumentation of node-redis that works without patching module loading, so
 * the client's own execution methods are wrapped on this instance (test/tracing-redis.test.ts
 * pins them to the installed version). With tracing off, `client` untouched.
 */
export function traceRedis<C extends object>(client: C): C {
  // Commands run on the client's `_self` (createClient hands out an object derived from it).
  const self = (client as { _self?: object })._self ?? client;
  if (!isTracing() || !hasInternals(self)) return client;
  const { _executeCommand: command, _executePipeline: pipeline, _executeMulti: multi } = self;
  const span = <T>(name: string, work: () => Promise<T>) =>
    inSpan(name, { kind: SpanKind.CLIENT, requireParent: true, attributes: { "db.system.name": "redis", "db.operation.name": name } }, work);
  Object.assign(self, {
    _executeCommand(this: unknown, cmd: unknown, parser: { redisArgs: readonly unknown[] }, ...rest: unknown[]) {
      const name = String(parser.redisArgs[0] ?? "COMMAND").toUpperCase();
      return span(name, () => command.call(this, cmd, parser, ...rest));
    },
    _executePipeline(this: unknown, commands: readonly unknown[], ...rest: unknown[]) {
      return span("PIPELINE", () => pipeline.call(this, commands, ...rest));
    },
    _executeMulti(this: unknown, commands: readonly unknown[], ...rest: unknown[]) {
      return span("MULTI", () => multi.call(this, commands, ...rest));
    },
  });
  return client;
}
