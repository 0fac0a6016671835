import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { requestInfoKey } from "./request-context.js";
import { isServerFault } from "./errors.js";

const QUIET = new Set(["grpc.health.v1.Health"]);

/**
 * One line per RPC: method, outcome code, duration (ECS `event.duration`), caller. Never the message or the headers,
 * which may hold tokens or personal data. Health probes are logged at debug.
 */
export function accessLogInterceptor(): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const info = req.contextValues.get(requestInfoKey);
    const log = info?.log;
    const line = (code?: Code) => {
      const elapsed = performance.now() - started;
      return {
        rpc: `${req.service.typeName}/${req.method.name}`,
        protocol: req.requestMethod === "POST" ? req.header.get("content-type")?.split(";")[0] : req.requestMethod,
        code: code === undefined ? "OK" : Code[code],
        // ECS's duration is in nanoseconds; `ms` is for people reading the line.
        "event.duration": Math.round(elapsed * 1e6),
        ms: Math.round(elapsed * 100) / 100,
        ip: info?.clientIp,
      };
    };
    const level = QUIET.has(req.service.typeName) ? "debug" : "info";
    try {
      const res = await next(req);
      // Building the line costs more than the check; skip it when nobody reads it.
      if (log?.isLevelEnabled(level)) log[level](line(), "rpc");
      return res;
    } catch (e) {
      const code = ConnectError.from(e).code;
      if (isServerFault(code)) log?.warn(line(code), "rpc");
      else log?.info(line(code), "rpc");
      throw e;
    }
  };
}
