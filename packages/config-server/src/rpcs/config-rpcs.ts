// GetConfig, SetConfig, ListConfigVersions and RollbackConfig: request -> checks -> store -> response.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { type Clock, DomainError, notFound } from "@triphub/platform";
import { decodeKeysetToken, encodeKeysetToken, pageSize } from "@triphub/platform/page-token";
import { rollbackComment } from "../domain/config-version.js";
import { toSnapshot, unconfigured } from "../proto-mapping/config-snapshot.js";
import type { ConfigStore } from "../store/config-store.js";
import { authorOf, checkValues, violationsOf } from "./access.js";

/** What the RPCs need. */
export interface ConfigRpcDeps {
  store: ConfigStore;
  now: Clock;
}

const PAGE = { fallback: 20, max: 100 };
const readVersion = ([v]: unknown[]) => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : undefined);

/** The unary RPCs of ConfigService. */
export function configRpcs(d: ConfigRpcDeps): Pick<ServiceImpl<typeof ConfigService>, "getConfig" | "setConfig" | "listConfigVersions" | "rollbackConfig"> {
  return {
    async getConfig(req) {
      const latest = await d.store.latest(req.service, req.environment);
      return { config: latest ? toSnapshot(latest) : unconfigured(req.service, req.environment) };
    },

    async setConfig(req, ctx) {
      // Checked before anything is written: a bad value changes nothing.
      checkValues(req.service, req.values);
      const written = await d.store.append(
        { service: req.service, environment: req.environment, values: req.values, author: authorOf(ctx), comment: req.comment, createdAt: d.now() },
        req.expectedVersion === undefined ? undefined : Number(req.expectedVersion),
      );
      return { config: toSnapshot(written) };
    },

    async listConfigVersions(req) {
      const scope = JSON.stringify([req.service, req.environment]);
      const before = req.pageToken ? decodeKeysetToken(req.pageToken, "ListConfigVersions", scope, 1, readVersion) : undefined;
      const size = pageSize(req.pageSize, PAGE.fallback, PAGE.max);
      // One more than asked says whether another page follows.
      const rows = await d.store.list(req.service, req.environment, before, size + 1);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return {
        versions: page.map(toSnapshot),
        nextPageToken: rows.length > size && last ? encodeKeysetToken([last.version], scope) : "",
      };
    },

    async rollbackConfig(req, ctx) {
      const to = Number(req.toVersion);
      const old = await d.store.get(req.service, req.environment, to);
      if (!old) throw notFound(`version of ${req.service} in ${req.environment}`, String(to));
      const violations = violationsOf(req.service, old.values);
      if (violations.length > 0) {
        throw new DomainError("precondition", `version ${to} no longer fits ${req.service}'s settings; write a new version instead`, { violations });
      }
      const written = await d.store.append(
        {
          service: req.service,
          environment: req.environment,
          values: old.values,
          author: authorOf(ctx),
          comment: req.comment || rollbackComment(to),
          restoredVersion: to,
          createdAt: d.now(),
        },
        req.expectedVersion === undefined ? undefined : Number(req.expectedVersion),
      );
      return { config: toSnapshot(written) };
    },
  };
}
