// ConfigVersion <-> triphub.config.v1.ConfigSnapshot, nothing else.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type ConfigSnapshot, ConfigSnapshotSchema } from "@triphub/contracts/triphub/config/v1/config_pb";
import type { ConfigVersion } from "../domain/config-version.js";

/** A stored version as the contract's snapshot. */
export function toSnapshot(v: ConfigVersion): ConfigSnapshot {
  return create(ConfigSnapshotSchema, {
    service: v.service,
    environment: v.environment,
    version: BigInt(v.version),
    values: v.values,
    author: v.author,
    comment: v.comment,
    createTime: timestampFromDate(v.createdAt),
    restoredVersion: BigInt(v.restoredVersion ?? 0),
  });
}

/** What a pair never configured reads as: version 0, no values (the service's defaults). */
export const unconfigured = (service: string, environment: string): ConfigSnapshot =>
  create(ConfigSnapshotSchema, { service, environment, version: 0n });
