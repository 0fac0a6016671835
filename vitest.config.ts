import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript sources under this condition, so tests run
// against src/ without a build. Vite drops its default conditions when given a list, so they
// are repeated (vite 8's defaultServerConditions minus "module", as vitest uses). vitest also
// passes ssr.resolve.conditions to its workers as --conditions, so Node agrees with Vite.
const conditions = ["@triphub/source", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
