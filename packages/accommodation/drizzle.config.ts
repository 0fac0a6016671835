import { defineConfig } from "drizzle-kit";

/** drizzle-kit: `pnpm db:generate` writes the SQL migrations of src/store/schema.ts to ./drizzle. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema.ts",
  out: "./drizzle",
});
