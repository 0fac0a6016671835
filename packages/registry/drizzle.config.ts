import { defineConfig } from "drizzle-kit";

/**
 * drizzle-kit: `pnpm db:generate` (in this package) compares src/store/schema.ts with the last
 * snapshot in drizzle/meta and writes the next SQL migration to ./drizzle. Review the SQL and
 * commit it; a committed migration is never edited (scripts/check-migrations.mjs checks).
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema.ts",
  out: "./drizzle",
});
