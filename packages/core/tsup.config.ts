import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", internals: "src/internals.ts", "testing/index": "src/testing/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  // wink-model.ts reads import.meta.url only where __filename is missing, that is in the ES module build.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, "empty-import-meta": "silent" };
  },
});
