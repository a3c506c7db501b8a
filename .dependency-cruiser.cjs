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
      to: { path: `${core}(engine|pipeline|model|providers|adapters|importers|report)/` },
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
      name: "offline-model-has-one-entry",
      severity: "error",
      comment:
        "The offline model is a bounded unit: from outside model/offline/, import its index.ts only (see model/offline/README.md).",
      from: { pathNot: `${core}model/offline/` },
      to: { path: `${core}model/offline/`, pathNot: `${core}model/offline/index\\.ts$` },
    },
    {
      name: "offline-model-stays-behind-its-port",
      severity: "error",
      comment:
        "The offline model is a ConsolidationModel and nothing more: it imports the bottom layer (ports, schemas, util, errors) and the secret redactor, never the engine, the pipeline, the other models, adapters, importers, reports or the tokenizer.",
      from: { path: `${core}model/offline/` },
      to: {
        path: core,
        pathNot: [
          `${core}model/offline/`,
          `${core}(ports|schemas|util)/`,
          `${core}errors\\.ts$`,
          `${core}security/redact-secrets\\.ts$`,
        ],
      },
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
      name: "the-test-kit-imports-only-core",
      severity: "error",
      comment:
        "@nocturne/testing builds on core's public entries (and internals) only: no adapter, provider, runner or CLI. That it imports no test runner is checked by packages/testing/test/no-test-runner.test.ts (node_modules is outside this cruise).",
      from: { path: "^packages/testing/" },
      to: { path: ["^packages/(?!core/|testing/)", "^@nocturne/(?!core$|core/internals$)"] },
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
