const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value is a UUID. Stores check ids with it before they reach PostgreSQL, which
 * rejects a malformed uuid with an error rather than "no row"; page tokens check the ids they carry.
 */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);
