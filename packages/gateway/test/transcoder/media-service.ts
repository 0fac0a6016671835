import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type HttpBody, HttpBodySchema } from "../gen/google/api/httpbody_pb.js";
import type { MediaService } from "../gen/transcoding/v1/media_pb.js";
import { sleep } from "./abortable-sleep.js";

/** The start of a PNG file: bytes that are not valid UTF-8 (0x89) and include NUL and CR LF. */
export const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]);

/** The avatars the service starts with, by user id. */
export const AVATARS: Record<string, { contentType: string; data: Uint8Array }> = {
  ada: { contentType: "image/png", data: PNG_BYTES },
  // No content type: the gateway must fall back to application/octet-stream.
  bare: { contentType: "", data: new Uint8Array([0, 255, 128, 10]) },
  empty: { contentType: "text/plain", data: new Uint8Array(0) },
};

/** The content type of every chunk after the first, which the gateway must not use. */
export const LATER_CHUNK_TYPE = "text/x-later-chunk";

/** How many downloads the service saw cancelled by the caller. */
export const downloadsCancelled = { count: 0 };

const fail = (code: number) => {
  if (code) throw new ConnectError("media failed", code as Code);
};

/** The media test service: avatars in memory, uploads echoed back and stored. */
export function mediaService(): ServiceImpl<typeof MediaService> {
  const avatars = new Map(Object.entries(AVATARS).map(([k, v]) => [k, create(HttpBodySchema, v)]));
  const avatarOf = (userId: string): HttpBody => {
    const a = avatars.get(userId);
    if (!a) throw new ConnectError(`no avatar for ${userId}`, Code.NotFound);
    return a;
  };
  return {
    getAvatar(req) {
      fail(req.failCode);
      return avatarOf(req.userId);
    },
    uploadAvatar(req) {
      if (req.file) avatars.set(req.userId, req.file);
      return req;
    },
    echoRaw: (req) => req,
    async uploadAvatarChunks(reqs) {
      let userId = "";
      let contentType = "";
      const parts: Uint8Array[] = [];
      for await (const req of reqs) {
        userId = req.userId;
        contentType ||= req.file?.contentType ?? "";
        parts.push(req.file?.data ?? new Uint8Array(0));
      }
      const file = create(HttpBodySchema, { contentType, data: Buffer.concat(parts) });
      if (userId) avatars.set(userId, file);
      return { userId, file, caption: String(parts.length) };
    },
    getThumbnail(req) {
      fail(req.failCode);
      return { image: avatars.get(req.userId), width: 64 };
    },
    async *downloadChunks(req, ctx) {
      const { contentType, data } = avatarOf(req.userId);
      try {
        if (req.emptyFirst) yield create(HttpBodySchema, { contentType });
        const size = req.chunkSize || data.length || 1;
        let sent = 0;
        for (let at = 0; at < data.length; at += size) {
          if (req.failCode && sent === req.failAfter) fail(req.failCode);
          if (sent > 0 && req.intervalMs) await sleep(req.intervalMs, ctx.signal);
          const type = sent === 0 && !req.emptyFirst ? contentType : LATER_CHUNK_TYPE;
          yield create(HttpBodySchema, { contentType: type, data: data.subarray(at, at + size) });
          sent++;
        }
        fail(req.failCode);
      } finally {
        if (ctx.signal.aborted) downloadsCancelled.count++;
      }
    },
  };
}
