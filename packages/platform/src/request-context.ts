import { randomUUID } from "node:crypto";
import { createContextKey, createContextValues, type HandlerContext } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import type { Logger } from "pino";

/** Who sent a request and how to log about it; set for every RPC by the chassis. */
export interface RequestInfo {
  requestId: string;
  /** The client address: the first X-Forwarded-For hop when a trusted proxy set it, else the peer. */
  clientIp: string;
  log: Logger;
}

/** Context key of {@link RequestInfo}. */
export const requestInfoKey = createContextKey<RequestInfo | undefined>(undefined, { description: "request info" });

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's request id when it is well-formed (so it cannot inject into logs), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && REQUEST_ID.test(v) ? v : randomUUID();
}

/** Builds the Connect context values of one request from Fastify's request. */
export function contextValuesFrom(req: FastifyRequest, trustProxy: boolean) {
  const forwarded = trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
  const info: RequestInfo = {
    requestId: String(req.id),
    clientIp: forwarded || req.socket.remoteAddress || "unknown",
    log: req.log as Logger,
  };
  return createContextValues().set(requestInfoKey, info);
}

/** The request info of a handler's context (a fallback for handlers called outside the chassis). */
export function requestInfo(ctx: HandlerContext, fallbackLog: Logger): RequestInfo {
  return ctx.values.get(requestInfoKey) ?? { requestId: randomUUID(), clientIp: "unknown", log: fallbackLog };
}
