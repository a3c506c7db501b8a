import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@nocturne/source"] },
  ssr: { resolve: { conditions: ["@nocturne/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/**/*.test.ts", "bench/**/*.test.ts", "scripts/*.test.ts"],
    // A hang guard, not a speed check: the soak (pnpm test:soak) runs the suite under CPU load on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-results.json" }]] : ["default"],
    globalSetup: ["./test/global-setup.ts"],
  },
});
