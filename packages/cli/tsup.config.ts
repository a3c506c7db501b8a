import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared.js";

export default defineConfig([
  // shims: import.meta.url in the CommonJS build (the version is read from package.json).
  { ...packageBuild, entry: ["src/index.ts"], shims: true },
  { entry: ["src/bin.ts"], format: ["esm"], sourcemap: true, target: "node20" },
]);
