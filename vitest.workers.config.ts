import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Integration tests inside workerd (Miniflare), with the bindings of wrangler.toml.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEACHER_KEY: "test-teacher-key",
          // Applied to the DB binding by test/workers/apply-migrations.ts.
          TEST_MIGRATIONS: await readD1Migrations({ projectPath: ".", migrationsDir: "migrations" }),
        },
      },
    })),
  ],
  test: {
    include: ["test/workers/**/*.test.ts"],
    setupFiles: ["./test/workers/apply-migrations.ts"],
    // The whole-lab test runs ~4 s alone; on a loaded 2-core machine the 5 s default is too tight
    // (it times out on the base commit too).
    testTimeout: 20_000,
  },
});
