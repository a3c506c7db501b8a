import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.js";

export default defineConfig({
  ...packageBuild,
  entry: { index: "src/index.ts", internals: "src/internals.ts" },
  // wink-model.ts reads import.meta.url only where __filename is missing, that is in the ES module build.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, "empty-import-meta": "silent" };
  },
});
