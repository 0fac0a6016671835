import { createHmac, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { ConfigError } from "../config.js";
import { openWith, type SealContext, sealWith, sealedKeyId, unwrapKey, wrapKey } from "./sealed-value.js";
import type { KeyEncryptionKeys } from "./sealing-config.js";

type Db = PostgresJsDatabase<Record<string, unknown>>;

/**
 * Seals personal data for storage and opens it, synchronously (the keys are in memory), and
 * computes blind indexes for equality lookups of sealed columns.
 */
export interface Sealer {
  /** `plaintext` sealed for the place `at`, with the current data key. */
  seal(plaintext: string, at: SealContext): string;
  /** The plaintext of `sealed`, stored at `at`; throws a SealedValueError when it cannot be opened. */
  open(sealed: string, at: SealContext): string;
  /** The data key that sealed `value`, or undefined when `value` is not sealed (stored in clear before sealing began). */
  keyOf(value: string): string | undefined;
  /** The id of the data key new values are sealed with. */
  currentKeyId(): string;
  /**
   * HMAC-SHA-256 of `normalized` under the blind-index key, separated by `purpose` (e.g.
   * "users.email") so equal values in different columns do not match. Normalise first
   * (trim, lower-case an email): only equal inputs give equal indexes.
   */
  blindIndex(purpose: string, normalized: string): string;
  /** Loads data keys other instances added (the re-encrypt job calls it on every run). */
  refresh(): Promise<void>;
  /**
   * Adds a new data key and retires the others. Sealing moves to it once every instance has
   * had time to load it (`activationMs`); then the re-encrypt job moves old values onto it.
   */
  rotateDataKey(): Promise<string>;
  /** When the newest data key was made (it may not seal yet, see `activationMs`): what the key's age counts from. */
  newestKeyCreatedAt(): Date;
}

/** Options of {@link openSealer}. */
export interface SealerOptions {
  keks: KeyEncryptionKeys;
  /** BLIND_INDEX_KEY; a service that looks nothing up by a sealed value has none, and {@link Sealer.blindIndex} then throws. */
  blindIndexKey?: Buffer;
  log: Logger;
  now: Clock;
  /** The service's data keys table (see dataKeysTable); default "data_keys". */
  table?: string;
  /**
   * How long a new data key waits before it seals (default 2 minutes): longer than the other
   * instances take to load it (the re-encrypt job refreshes each run), so none meets a value
   * sealed with a key it has not loaded.
   */
  activationMs?: number;
}

interface KeyRow extends Record<string, unknown> {
  id: string;
  kek_id: string;
  wrapped_key: Uint8Array;
  created_at: Date | string;
  retired_at: Date | string | null;
}

interface DataKey {
  id: string;
  key: Buffer;
  createdAt: Date;
  retiredAt: Date | undefined;
}

const newKeyId = () => randomBytes(9).toString("base64url");

/**
 * Loads (and on first start makes) the service's data keys, unwrapping each with the
 * key-encryption key it names. Data keys wrapped by a key that is no longer the current one are
 * re-wrapped by the current one on the way (a KEK rotation costs one small UPDATE per data key).
 * A data key whose KEK is not configured, or that does not unwrap, is a ConfigError: the
 * service must not start and store data it could not read back.
 */
export async function openSealer(db: Db, opts: SealerOptions): Promise<Sealer> {
  const table = sql.identifier(opts.table ?? "data_keys");
  const activationMs = opts.activationMs ?? 120_000;
  const lockKey = `triphub:${opts.table ?? "data_keys"}`;
  let keys = new Map<string, DataKey>();
  let current: DataKey;

  const unwrap = (r: KeyRow): Buffer => {
    const kek = opts.keks.byId.get(r.kek_id);
    if (!kek) throw new ConfigError(`invalid configuration:\n  DATA_KEKS lacks key ${r.kek_id}, which wraps data key ${r.id}: add it back (after the current key)`);
    const key = unwrapKey(kek.key, r.id, r.wrapped_key);
    if (!key) throw new ConfigError(`invalid configuration:\n  DATA_KEKS key ${r.kek_id} does not unwrap data key ${r.id} (another key under that id?)`);
    return key;
  };

  // The unretired key once every instance has had time to load it; until then the one it
  // replaced (the last retired). On a first start the only key there is.
  const pickCurrent = (): DataKey => {
    const newest = (list: DataKey[], at: (k: DataKey) => number) => list.reduce<DataKey | undefined>((a, k) => (a && at(a) >= at(k) ? a : k), undefined);
    const all = [...keys.values()];
    const active = newest(all.filter((k) => k.retiredAt === undefined), (k) => k.createdAt.getTime());
    if (active && active.createdAt.getTime() <= opts.now().getTime() - activationMs) return active;
    return newest(all.filter((k) => k.retiredAt !== undefined), (k) => k.retiredAt!.getTime()) ?? active ?? all[0]!;
  };

  const load = async () => {
    const rewrapped: string[] = [];
    const rows = await db.transaction(async (tx) => {
      // Instances starting together: one makes the first key or re-wraps, the others wait.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
      const found = await tx.execute<KeyRow>(sql`select id, kek_id, wrapped_key, created_at, retired_at from ${table}`);
      const out = [...found];
      if (out.length === 0) {
        const id = newKeyId();
        const wrapped = wrapKey(opts.keks.current.key, id, randomBytes(32));
        const createdAt = opts.now();
        await tx.execute(sql`insert into ${table} (id, kek_id, wrapped_key, created_at) values (${id}, ${opts.keks.current.id}, ${wrapped}, ${createdAt.toISOString()})`);
        out.push({ id, kek_id: opts.keks.current.id, wrapped_key: wrapped, created_at: createdAt, retired_at: null });
      }
      for (const r of out) {
        if (r.kek_id === opts.keks.current.id) continue;
        const wrapped = wrapKey(opts.keks.current.key, r.id, unwrap(r));
        await tx.execute(sql`update ${table} set kek_id = ${opts.keks.current.id}, wrapped_key = ${wrapped} where id = ${r.id}`);
        rewrapped.push(r.id);
        r.kek_id = opts.keks.current.id;
        r.wrapped_key = wrapped;
      }
      return out;
    });
    if (rewrapped.length > 0) opts.log.info({ dataKeys: rewrapped, kek: opts.keks.current.id }, "data keys re-wrapped with the current key-encryption key");
    keys = new Map(rows.map((r) => [r.id, { id: r.id, key: unwrap(r), createdAt: new Date(r.created_at), retiredAt: r.retired_at === null ? undefined : new Date(r.retired_at) }]));
    current = pickCurrent();
  };

  await load();

  return {
    seal(plaintext, at) {
      current = pickCurrent();
      return sealWith(current.id, current.key, plaintext, at);
    },
    open: (sealed, at) => openWith(sealed, at, (id) => keys.get(id)?.key),
    keyOf: sealedKeyId,
    currentKeyId() {
      current = pickCurrent();
      return current.id;
    },
    newestKeyCreatedAt: () => new Date(Math.max(...[...keys.values()].map((k) => k.createdAt.getTime()))),
    blindIndex(purpose, normalized) {
      if (opts.blindIndexKey === undefined) throw new Error(`no BLIND_INDEX_KEY configured: cannot index ${purpose}`);
      return createHmac("sha256", opts.blindIndexKey).update(`${purpose}\n${normalized}`, "utf8").digest("base64url");
    },
    refresh: load,
    async rotateDataKey() {
      const id = newKeyId();
      const at = opts.now().toISOString();
      await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
        await tx.execute(sql`update ${table} set retired_at = ${at} where retired_at is null`);
        const wrapped = wrapKey(opts.keks.current.key, id, randomBytes(32));
        await tx.execute(sql`insert into ${table} (id, kek_id, wrapped_key, created_at) values (${id}, ${opts.keks.current.id}, ${wrapped}, ${at})`);
      });
      opts.log.info({ dataKey: id }, "new data key made; sealing moves to it once every instance has loaded it");
      await load();
      return id;
    },
  };
}
