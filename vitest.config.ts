import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    // Tests that boot VMs share one host-wide worker pool per test file; forks isolate files.
    pool: "forks",
  },
});
