/**
 * Personal data at rest: envelope encryption (AES-256-GCM data keys in the service's
 * `data_keys` table, wrapped by key-encryption keys from DATA_KEKS), blind indexes for lookups
 * of sealed columns (BLIND_INDEX_KEY), and the job that keeps records on the current data key.
 */
export { dataKeysTable } from "./data-keys-table.js";
export { createReencryptJob, type ReencryptJob, type ReencryptJobOptions, type ReencryptStep } from "./reencrypt-job.js";
export { type SealContext, SealedValueError } from "./sealed-value.js";
export { openSealer, type Sealer, type SealerOptions } from "./sealer.js";
export { blindIndexKey, dataKeks, type KeyEncryptionKey, type KeyEncryptionKeys, sealingConfigSpec } from "./sealing-config.js";
