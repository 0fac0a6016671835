import type { HandlerContext } from "@connectrpc/connect";
import { callerServiceKey, type Logger, requestInfo } from "@triphub/platform";
import type { RequestOrigin } from "../domain/audit-event.js";

/** Where a call came from, for the audit trail: client address, user agent, calling service. */
export function originOf(ctx: HandlerContext, log: Logger): RequestOrigin {
  return {
    clientIp: requestInfo(ctx, log).clientIp,
    userAgent: ctx.requestHeader.get("user-agent") ?? undefined,
    service: ctx.values.get(callerServiceKey),
  };
}
