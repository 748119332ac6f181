import { defineConfig } from "vitest/config";

// Pure TypeScript tests (sim, scoring, helpers) on plain Node.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/unit/**/*.test.ts"],
    // Some tests play whole scenarios (64 nodes, every preset in every mode): seconds of CPU on a
    // busy 2-core machine. A hung test still fails; speed is measured by `npm run bench`.
    testTimeout: 30_000,
  },
});
