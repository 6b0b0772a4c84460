import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // One database for the whole suite: test files run one after another, never in parallel.
    fileParallelism: false,
    // Connecting to a real server on a busy CI machine can take a moment.
    hookTimeout: 30_000,
  },
});
