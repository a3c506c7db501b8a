import type { Options } from "tsup";

/** How every published package is built: ES module and CommonJS, each with types and source maps, for Node 20. */
export const packageBuild = {
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
} satisfies Options;
