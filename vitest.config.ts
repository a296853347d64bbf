import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser suite (test/ui, *.spec.ts) runs under Playwright: `npm run test:ui`.
    exclude: ["test/ui/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // one PostgreSQL server for the run: the repositories are tested on it and on SQLite
    // and the CLI bundled once, so the commands the suites spawn start quickly (test/support/cliBundle.ts)
    globalSetup: ["test/support/postgresServer.ts", "test/support/cliBundle.ts"],
    pool: "forks",
    reporters: ["default"]
  }
})
