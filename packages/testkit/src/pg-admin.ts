import postgres from "postgres";

/** Runs `fn` on a single connection to the server URL's own database, closed afterwards. */
export async function withAdmin<T>(server: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  // Notices (e.g. "schema already exists, skipping") would otherwise go to stdout.
  const sql = postgres(server, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** `name` quoted as an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Drops every database whose name starts with `prefix`, even if connections remain. */
export async function dropDatabases(server: string, prefix: string): Promise<void> {
  await withAdmin(server, async (sql) => {
    const rows = await sql<{ datname: string }[]>`
      select datname from pg_database where starts_with(datname, ${prefix})`;
    for (const { datname } of rows) await sql.unsafe(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  });
}
