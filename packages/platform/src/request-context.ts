import { randomUUID } from "node:crypto";
import { createContextKey, createContextValues, type HandlerContext } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { peerServiceKey, peerServiceOf } from "./peer-identity.js";

/** Who sent a request and how to log about it; set for every RPC by the chassis. */
export interface RequestInfo {
  requestId: string;
  /** The client address: the one the gateway saw when the gateway called, else the peer's. */
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

/**
 * Builds the Connect context values of one request from Fastify's request. The client address
 * is the peer's; the chassis replaces it with the one the gateway passes on, only for calls the
 * gateway's service identity makes (caller-policy.ts). X-Forwarded-For is never read here.
 */
export function contextValuesFrom(req: FastifyRequest) {
  const info: RequestInfo = {
    requestId: String(req.id),
    clientIp: req.socket.remoteAddress || "unknown",
    log: req.log as Logger,
  };
  const values = createContextValues().set(requestInfoKey, info);
  const peer = peerServiceOf(req.socket);
  return peer === undefined ? values : values.set(peerServiceKey, peer);
}

/** The request info of a handler's context (a fallback for handlers called outside the chassis). */
export function requestInfo(ctx: HandlerContext, fallbackLog: Logger): RequestInfo {
  return ctx.values.get(requestInfoKey) ?? { requestId: randomUUID(), clientIp: "unknown", log: fallbackLog };
}
