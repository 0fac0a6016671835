import { customType, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array }>({ dataType: () => "bytea" });

/**
 * The schema of a service's data keys, for its own schema.ts (drizzle-kit generates it into the
 * service's migrations). Each row is a random AES-256 key wrapped by the key-encryption key
 * `kek_id` names (see openSealer); `retired_at` is set once a newer key took over sealing, and
 * the re-encrypt job moves what it sealed onto the newer one.
 */
export function dataKeysTable(name = "data_keys") {
  return pgTable(name, {
    id: text("id").primaryKey(),
    kekId: text("kek_id").notNull(),
    wrappedKey: bytea("wrapped_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3, mode: "date" }).notNull(),
    retiredAt: timestamp("retired_at", { withTimezone: true, precision: 3, mode: "date" }),
  });
}
