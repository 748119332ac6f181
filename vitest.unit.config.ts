import { defineConfig } from "vitest/config";

// Pure TypeScript tests (sim, scoring, helpers) on plain Node.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/unit/**/*.test.ts"],
  },
});
