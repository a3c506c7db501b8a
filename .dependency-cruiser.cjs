/**
 * Layering and cycle rules for the source of every package (`npx -y pnpm@10 depcruise`). Core's layers, bottom up:
 * util and schemas and ports → pipeline, models, providers, adapters, importers, report, security → engine.
 */
const core = "^packages/core/src/";
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules must not import each other in a cycle.",
      from: {},
      to: { circular: true },
    },
    {
      name: "bottom-layers-stay-at-the-bottom",
      severity: "error",
      comment: "util, schemas and ports are the bottom layer: they import nothing above them.",
      from: { path: `${core}(util|schemas|ports)/` },
      to: { path: `${core}(engine|pipeline|model|providers|adapters|importers|report|testing)/` },
    },
    {
      name: "only-the-engine-and-runners-drive-a-dream",
      severity: "error",
      comment:
        "Nothing below the engine imports it: the pipeline, models and adapters know nothing of dreams' lifecycle.",
      from: { path: `${core}(pipeline|model|providers|adapters|importers|report|security)/` },
      to: { path: `${core}engine/` },
    },
    {
      name: "models-do-not-run-the-pipeline",
      severity: "error",
      comment: "A model answers calls; it does not import pipeline stages.",
      from: { path: `${core}(model|providers)/` },
      to: { path: `${core}pipeline/` },
    },
    {
      name: "core-stands-alone",
      severity: "error",
      comment: "Core imports no other Nocturne package.",
      from: { path: "^packages/core/" },
      to: { path: "^packages/(?!core/)" },
    },
    {
      name: "providers-import-only-core",
      severity: "error",
      comment: "A provider package depends on core only: not on another provider, an adapter, a runner or the CLI.",
      from: { path: "^packages/(provider-[^/]+)/" },
      to: { path: "^packages/", pathNot: "^packages/(core|$1)/" },
    },
    {
      name: "adapters-do-not-import-runners-or-the-cli",
      severity: "error",
      comment: "Storage adapters depend on core only.",
      from: { path: "^packages/adapters-" },
      to: { path: "^packages/(cli|runner-bullmq)/" },
    },
    {
      name: "the-server-imports-only-core",
      severity: "error",
      comment: "The HTTP server runs on any engine and storage it is given; it depends on core only.",
      from: { path: "^packages/server/src/" },
      to: { path: "^packages/", pathNot: "^packages/(core|server)/" },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
  },
};
