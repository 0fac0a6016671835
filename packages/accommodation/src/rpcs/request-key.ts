import { createHash } from "node:crypto";
import { create, type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type { RequestKey } from "../domain/request-id.js";

/**
 * The AIP-155 key of a create request, or undefined when it carries no request_id (then the
 * call is not idempotent, as the contract says). The fingerprint is a SHA-256 of the request
 * without its request_id, in protobuf binary: protobuf-es writes fields in number order, so
 * the same request always gives the same bytes whichever protocol (gRPC, Connect JSON via
 * the gateway) it arrived in.
 */
export function requestKeyOf<D extends DescMessage>(
  schema: D,
  req: MessageShape<D> & { requestId: string },
  callerId: string,
  method: string,
): RequestKey | undefined {
  if (req.requestId === "") return undefined;
  const bytes = toBinary(schema, create(schema, { ...req, requestId: "" } as MessageShape<D>));
  return { callerId, method, requestId: req.requestId.toLowerCase(), fingerprint: createHash("sha256").update(bytes).digest("hex") };
}
