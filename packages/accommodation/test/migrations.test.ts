import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { databaseUrl, freshDatabase, serverUrl } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "./accommodation-db.js";

// A database migrated before 0003_destination_indexes.sql was edited (its first version is
// kept in fixtures/) and then upgraded must end where a fresh one does: drizzle never re-runs
// a migration it has applied, so 0010 brings it there.

interface Journal {
  entries: { idx: number; tag: string }[];
}

const ORIGINAL_0003 = fileURLToPath(new URL("./fixtures/0003_destination_indexes.original.sql", import.meta.url));
const opened: postgres.Sql[] = [];
const temp: string[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.end()));
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

function connect(url: string): postgres.Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  opened.push(sql);
  return sql;
}

async function emptyDatabase(): Promise<string> {
  const name = `acc_migrations_${Math.random().toString(36).slice(2, 10)}`;
  await connect(serverUrl()).unsafe(`create database ${name}`);
  return databaseUrl(serverUrl(), name);
}

/** The migrations folder as it was when 0003 was first committed: 0000-0002 and the first 0003. */
async function firstFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "acc-migrations-"));
  temp.push(dir);
  const journal = JSON.parse(await readFile(join(migrationsFolder, "meta/_journal.json"), "utf8")) as Journal;
  const entries = journal.entries.filter((e) => e.idx <= 3);
  await mkdir(join(dir, "meta"));
  await writeFile(join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const e of entries) {
    const file = `${e.tag}.sql`;
    await copyFile(e.idx === 3 ? ORIGINAL_0003 : join(migrationsFolder, file), join(dir, file));
  }
  return dir;
}

/** What a migration can leave behind on the service's tables: columns, indexes and constraints. */
async function schemaOf(sql: postgres.Sql) {
  const columns = await sql`select table_name, column_name, data_type, is_nullable, column_default, is_generated, generation_expression
    from information_schema.columns where table_schema = 'public' order by table_name, column_name`;
  const indexes = await sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`;
  const constraints = await sql`select c.conrelid::regclass::text as "table", c.conname, pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public' order by c.conname`;
  return { columns: [...columns], indexes: [...indexes], constraints: [...constraints] };
}

const seoulHotel = (sql: postgres.Sql) => sql`insert into properties
    (id, owner_id, name, property_type, address_line1, city, region, country_code, latitude, longitude, time_zone, currency,
     cancellation_policy, status, star_rating, rating_average, rating_count)
  values ('00000000-0000-4000-8000-000000000001', gen_random_uuid(), 'Han River Hotel', 'hotel', '1 Yeouido-dong', 'Seoul', 'Seoul',
     'KR', 37.52, 126.92, 'Asia/Seoul', 'KRW', 'flexible', 'listed', 4, 4.6, 120)`;

describe("accommodation migrations", () => {
  it("bring a database migrated with the first 0003 to the schema of a fresh one, quality computed", async () => {
    const url = await emptyDatabase();
    const upgraded = connect(url);
    await migrate(drizzle(upgraded), { migrationsFolder: await firstFolder() });
    await seoulHotel(upgraded);
    await migrate(drizzle(upgraded), { migrationsFolder });

    const fresh = connect(await freshDatabase({ migrationsFolder, name: "acc_migrations_fresh" }));
    await seoulHotel(fresh);
    expect(await schemaOf(upgraded)).toEqual(await schemaOf(fresh));
    const quality = (sql: postgres.Sql) => sql`select quality from properties`;
    const [row] = await quality(upgraded);
    expect(row?.quality).toBeGreaterThan(0);
    expect(await quality(upgraded)).toEqual(await quality(fresh));
  });
});
