import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, freshDatabase, serverUrl, templateName } from "../src/database.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const clients: postgres.Sql[] = [];
let urls: string[] = [];

function connect(url: string): postgres.Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  clients.push(sql);
  return sql;
}

// Asked for all at once, so on a new server the callers race to build the template.
beforeAll(async () => {
  urls = await Promise.all(["a", "b", "c"].map((name) => freshDatabase({ migrationsFolder, name })));
});

afterAll(async () => {
  await Promise.all(clients.map((sql) => sql.end()));
});

describe("freshDatabase", () => {
  it("applies the folder's migrations and records them as drizzle does", async () => {
    const sql = connect(urls[0] as string);
    expect(await sql`select body from notes`).toEqual([{ body: "seeded by migration" }]);
    const [applied] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied?.n).toBe(1);
  });

  it("gives every call its own database", async () => {
    const [, b, c] = urls as [string, string, string];
    expect(new Set(urls).size).toBe(3);
    await connect(b)`create table only_in_b (id int)`;
    await connect(b)`insert into notes (body) values ('only in b')`;
    const [found] = await connect(c)`select to_regclass('only_in_b') as t`;
    expect(found?.t).toBeNull();
    expect(await connect(c)`select body from notes`).toEqual([{ body: "seeded by migration" }]);
  });

  it("leaves a finished template that nobody can connect to", async () => {
    const template = await templateName(migrationsFolder);
    const rows = await connect(serverUrl())`
      select datname, datistemplate, datallowconn from pg_database
      where datname in (${template}, ${`${template}_build`})`;
    expect(rows).toEqual([{ datname: template, datistemplate: true, datallowconn: false }]);
  });

  it("names databases after the caller, on the run's server", async () => {
    const url = await freshDatabase({ migrationsFolder, name: "Reservation Store" });
    const name = new URL(url).pathname.slice(1);
    expect(name).toMatch(/^t[0-9a-f]{6}_reservation_store_[0-9a-f]{8}$/);
    expect(url).toBe(databaseUrl(serverUrl(), name));
  });

  it("fails with drizzle's message when the folder has no journal", async () => {
    const noJournal = fileURLToPath(new URL("./fixtures/no-journal", import.meta.url));
    await expect(freshDatabase({ migrationsFolder: noJournal })).rejects.toThrow(/_journal\.json/);
  });
});
