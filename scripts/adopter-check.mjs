#!/usr/bin/env node
// The adopter check: what someone who installs Nocturne from npm gets. Builds and packs every package with pnpm,
// lints each tarball (publint, and @arethetypeswrong/cli for its types under node10, node16 ESM and CJS, and
// bundlers), installs the tarballs into a fresh project in a temporary folder outside the workspace, and there runs:
//   - the README's library quick start, verbatim, as an ES module (plus lines that check the dream completed);
//   - `require` of every package from CommonJS, the test kit `@nocturne/testing` included, with no test runner
//     installed (vitest is its optional peer dependency);
//   - `npx nocturne --version`, and a dream on examples/data with the offline model (and an import into SQLite);
//   - with typescript, esbuild and vitest added as the project's dev dependencies: the quick start, a Map-backed
//     StorageAdapter and a Map-backed StorageDriver (scripts/adopter-project/) type-checked under moduleResolution
//     node16 and bundler; the quick start bundled by esbuild and the bundle run (tiktoken stays installed beside
//     it: its WASM is not bundled); the published conformance suite run against both, vitest the only test
//     dependency;
//   - in a second, smaller project where pnpm 10 skipped better-sqlite3's build script: that opening a SQLite
//     database fails with an error naming the fix, and that @nocturne/core alone did not install the Anthropic SDK.
// Usage: node scripts/adopter-check.mjs [--keep]   (--keep leaves the temporary folder for inspection)
// Needs the workspace installed (npx -y pnpm@10 install). Third-party dependencies come from pnpm's store when it
// has them (--prefer-offline), else from the npm registry.
import { execFile, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname, "..");
// Directory names under packages/; a directory's tarball is named after its package (provider-anthropic packs as
// nocturne-anthropic-*.tgz).
const PACKAGES = [
  "core",
  "testing",
  "provider-anthropic",
  "provider-openai-compatible",
  "adapters-fs",
  "adapters-sqlite",
  "adapters-postgres",
  "runner-bullmq",
  "server",
  "cli",
];
/** The package name of a directory under packages/, e.g. `@nocturne/anthropic`. */
const packageName = (dir) => JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")).name;
const keep = process.argv.includes("--keep");
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), "nocturne-adopter-"));
const builtHere = PACKAGES.filter((name) => !existsSync(join(ROOT, "packages", name, "dist")));

/** Prints a step with the seconds since the start. */
function step(text) {
  console.log(`[adopter-check ${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);
}

/** Runs a command, failing the check (with its output) unless it exits 0; returns its stdout. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ANTHROPIC_API_KEY: "", NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** Runs commands `width` at a time; rejects with the output of the first that fails. */
async function inParallel(commands, width) {
  const queue = [...commands];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [command, args] = next;
      await promisify(execFile)(command, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } }).catch((error) => {
        throw new Error(`${command} ${args.join(" ")} failed\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
      });
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

const pnpm = (args, options) => run("npx", ["-y", "pnpm@10", ...args], options);
const bin = (name) => join(ROOT, "node_modules/.bin", name);

function check(condition, message) {
  if (!condition) throw new Error(`adopter check failed: ${message}`);
}

/** The README's library quick start: the first ts block under its heading, byte for byte. */
function readmeQuickStart() {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## Library quick start")))?.[1];
  check(block !== undefined, "README.md has no ts block under '## Library quick start'");
  return block;
}

/** The version of a tool installed in the workspace, so the fresh project gets the same one (from pnpm's store). */
function workspaceVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
}

/** A package.json for a fresh project that takes every @nocturne package from its tarball. */
function projectManifest(tarballs, names, { allowBuilds }) {
  const fromTarball = Object.fromEntries(names.map((name) => [packageName(name), `file:${tarballs[name]}`]));
  const core = JSON.parse(readFileSync(join(ROOT, "packages/core/package.json"), "utf8"));
  return {
    name: "nocturne-adopter",
    private: true,
    type: "module",
    // tiktoken beside the app, as for any bundled app: a bundle loads its WASM from node_modules at run time.
    dependencies: { ...fromTarball, tiktoken: core.dependencies.tiktoken },
    // Tarballs' own @nocturne dependencies read "0.1.0": point them at the tarballs too, not at the registry.
    pnpm: { overrides: fromTarball, ...(allowBuilds ? { onlyBuiltDependencies: ["better-sqlite3"] } : {}) },
  };
}

try {
  step(`building ${PACKAGES.length} packages (tsup)`);
  pnpm(["-r", "--workspace-concurrency=2", "--filter", "./packages/**", "build"]);

  step("packing with pnpm");
  const packDir = join(tmp, "tarballs");
  pnpm(["-r", "--filter", "./packages/**", "pack", "--pack-destination", packDir]);
  const tarballs = Object.fromEntries(
    PACKAGES.map((name) => {
      const prefix = `${packageName(name).replace("@", "").replace("/", "-")}-`;
      const file = readdirSync(packDir).find((f) => f.startsWith(prefix) && f.endsWith(".tgz"));
      check(file !== undefined, `pnpm pack made no tarball for ${packageName(name)}`);
      return [name, join(packDir, file)];
    }),
  );
  for (const name of builtHere) rmSync(join(ROOT, "packages", name, "dist"), { recursive: true, force: true });

  step("linting every tarball: publint --strict, attw with every resolution, node10 included (two at a time)");
  for (const name of PACKAGES) {
    const packed = run("tar", ["-xzOf", tarballs[name], "package/package.json"]).stdout;
    check(
      !packed.includes("@nocturne/source"),
      `the packed ${packageName(name)} still names the @nocturne/source condition`,
    );
    check(!packed.includes("workspace:"), `the packed ${packageName(name)} still has workspace: dependencies`);
  }
  const lints = PACKAGES.flatMap((name) => [
    [bin("publint"), ["run", tarballs[name], "--strict", "--level", "warning"]],
    [bin("attw"), [tarballs[name], "--format", "ascii", "--no-emoji", "--no-color"]],
  ]);
  await inParallel(lints, 2);

  step("pnpm 10 without better-sqlite3's build allowed: the error names the fix");
  const bare = join(tmp, "no-builds");
  run("mkdir", ["-p", bare]);
  const bareNames = ["core", "adapters-sqlite"];
  writeFileSync(
    join(bare, "package.json"),
    JSON.stringify(projectManifest(tarballs, bareNames, { allowBuilds: false })),
  );
  pnpm(["install", "--no-frozen-lockfile", "--prefer-offline", "--reporter=append-only"], { cwd: bare });
  check(
    !readdirSync(join(bare, "node_modules/.pnpm")).some((entry) => entry.startsWith("@anthropic-ai+sdk@")),
    "installing @nocturne/core without @nocturne/anthropic installed the Anthropic SDK",
  );
  const unbuilt = run(
    "node",
    [
      "-e",
      `const { createSqliteAdapter } = require("@nocturne/adapters-sqlite");
       try { createSqliteAdapter({ file: "x.db" }); console.log("opened"); }
       catch (e) { console.log(e.code + ": " + e.message); }`,
    ],
    { cwd: bare },
  ).stdout;
  check(
    unbuilt.startsWith("storage_error") && unbuilt.includes("pnpm approve-builds"),
    `opening SQLite without better-sqlite3's build should name the fix, got: ${unbuilt}`,
  );

  step("installing all tarballs into a fresh project (onlyBuiltDependencies: better-sqlite3)");
  const app = join(tmp, "app");
  run("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify(projectManifest(tarballs, PACKAGES, { allowBuilds: true })));
  pnpm(["install", "--no-frozen-lockfile", "--prefer-offline", "--reporter=append-only"], { cwd: app });
  check(
    !existsSync(join(app, "node_modules/vitest")) &&
      !readdirSync(join(app, "node_modules/.pnpm")).some((entry) => entry.startsWith("vitest@")),
    "vitest got installed; nothing published should pull it in (@nocturne/testing has it as an optional peer only)",
  );
  const testingManifest = JSON.parse(run("tar", ["-xzOf", tarballs.testing, "package/package.json"]).stdout);
  check(
    testingManifest.peerDependenciesMeta?.vitest?.optional === true && !testingManifest.dependencies?.vitest,
    "@nocturne/testing should declare vitest as an optional peer dependency, nothing more",
  );

  step("the README library quick start, verbatim, as ESM");
  writeFileSync(
    join(app, "quick-start.mjs"),
    `${readmeQuickStart()}
const written = await storage.listMemories(done.outputs[0]?.memory_store_id ?? "");
const text = written.data.map((memory) => memory.content).join("\\n");
if (done.status !== "completed" || !text.includes("Lisbon") || text.includes("Berlin") || report.outputs.length === 0) {
  throw new Error("the quick start's dream did not consolidate: " + JSON.stringify({ status: done.status, text }));
}
console.log("QUICK START OK");
`,
  );
  check(run("node", ["quick-start.mjs"], { cwd: app }).stdout.includes("QUICK START OK"), "quick start");

  step("CommonJS require of every package; @nocturne/testing without a test runner");
  writeFileSync(
    join(app, "require.cjs"),
    `const assert = require("node:assert/strict");
const core = require("@nocturne/core");
assert.equal(typeof core.createNocturne, "function");
assert.equal(typeof core.createInMemoryAdapter, "function");
assert.equal(typeof require("@nocturne/core/internals").runPipeline, "function");
const testing = require("@nocturne/testing");
assert.equal(typeof testing.runAdapterConformance, "function");
assert.equal(typeof testing.createScriptedLanguageModel, "function");
assert.equal(testing.createInMemoryAdapter, core.createInMemoryAdapter);
assert.throws(() => require.resolve("vitest"), /Cannot find module/);
assert.equal(typeof require("@nocturne/adapters-fs").createFsAdapter, "function");
const sqlite = require("@nocturne/adapters-sqlite").createSqliteAdapter({ file: ":memory:" });
assert.equal(sqlite.name.length > 0, true);
assert.equal(typeof require("@nocturne/adapters-postgres").createPostgresAdapter, "function");
assert.equal(typeof require("@nocturne/runner-bullmq").createDreamWorker, "function");
assert.equal(typeof require("@nocturne/anthropic").createAnthropicModel, "function");
assert.equal(typeof require("@nocturne/openai-compatible").createOpenAICompatibleModel, "function");
assert.equal(typeof require("@nocturne/server").startServer, "function");
const cli = require("@nocturne/cli");
let printed = "";
const io = { stdout: { write: (text) => { printed += text; } }, stderr: { write() {} }, env: {},
  onInterrupt: () => () => {}, confirm: async () => false, exit() {} };
cli.runCli(["--version"], io).then((code) => {
  assert.equal(code, 0);
  assert.equal(printed.trim(), require("@nocturne/cli/package.json").version);
  console.log("REQUIRE OK");
});
`,
  );
  check(run("node", ["require.cjs"], { cwd: app }).stdout.includes("REQUIRE OK"), "CommonJS require");
  writeFileSync(
    join(app, "testing.mjs"),
    `import { runAdapterConformance } from "@nocturne/testing";
if (typeof runAdapterConformance !== "function") throw new Error("no runAdapterConformance");
console.log("TESTING ESM OK");
`,
  );
  check(run("node", ["testing.mjs"], { cwd: app }).stdout.includes("TESTING ESM OK"), "@nocturne/testing as ESM");

  step("npx nocturne --version, then a dream on examples/data with the offline model");
  const version = JSON.parse(readFileSync(join(ROOT, "packages/cli/package.json"), "utf8")).version;
  const printed = run("npx", ["--no-install", "nocturne", "--version"], { cwd: app }).stdout.trim();
  check(printed === version, `nocturne --version printed "${printed}", package.json says ${version}`);
  const data = join(ROOT, "examples/data");
  const dream = run(
    "npx",
    [
      "--no-install",
      "nocturne",
      "dream",
      "--memory",
      join(data, "memory"),
      "--sessions",
      join(data, "sessions"),
      "--out",
      join(tmp, "dreamed"),
      "--report",
      join(tmp, "review.md"),
      "--json",
    ],
    { cwd: app },
  );
  const final = JSON.parse(dream.stdout.trimEnd().split("\n").at(-1));
  check(final.status === "completed", `the dream ended ${final.status}`);
  check(existsSync(join(tmp, "dreamed/.nocturne/dream-completed.json")), "the dream's --out has no completion marker");
  check(readFileSync(join(tmp, "review.md"), "utf8").includes("Berlin"), "the review report does not mention Berlin");
  const imported = run(
    "npx",
    [
      "--no-install",
      "nocturne",
      "import",
      "--storage",
      `sqlite:${join(tmp, "n.db")}`,
      "--memory",
      join(data, "memory"),
      "--json",
    ],
    { cwd: app },
  );
  check(imported.stdout.includes("memstore_"), `the import into SQLite printed no store id:\n${imported.stdout}`);

  step("adding typescript, esbuild, vitest and @types/node to the project's dev dependencies");
  const fromTsup = createRequire(realpathSync(join(ROOT, "node_modules/tsup/package.json")));
  const esbuildVersion = fromTsup("esbuild/package.json").version;
  const tools = ["typescript", "vitest", "@types/node"].map((name) => `${name}@${workspaceVersion(name)}`);
  pnpm(["add", "-D", ...tools, `esbuild@${esbuildVersion}`, "--prefer-offline", "--reporter=append-only"], {
    cwd: app,
  });
  const project = join(ROOT, "scripts/adopter-project");
  for (const file of readdirSync(project)) copyFileSync(join(project, file), join(app, file));
  writeFileSync(join(app, "quick-start.mts"), readmeQuickStart());

  step(
    "type-checking the quick start, the Map-backed adapter and the Map driver: moduleResolution node16, then bundler",
  );
  for (const config of ["tsconfig.node16.json", "tsconfig.bundler.json"]) {
    run(join(app, "node_modules/.bin/tsc"), ["-p", config], { cwd: app });
  }

  step("bundling the quick start with esbuild, then running the bundle");
  run(
    join(app, "node_modules/.bin/esbuild"),
    ["quick-start.mjs", "--bundle", "--platform=node", "--format=esm", "--outfile=bundle/quick-start.mjs"],
    { cwd: app },
  );
  const bundled = readFileSync(join(app, "bundle/quick-start.mjs"), "utf8");
  check(!/from\s*["']@nocturne\//.test(bundled), "the bundle still imports @nocturne packages at run time");
  check(run("node", ["bundle/quick-start.mjs"], { cwd: app }).stdout.includes("QUICK START OK"), "bundled quick start");

  step("the published conformance suite against the Map-backed adapter and the Map driver (vitest)");
  const suite = run(join(app, "node_modules/.bin/vitest"), ["run", "map-adapter.test.ts", "map-driver.test.ts"], {
    cwd: app,
  });
  const passed = /Tests\s+(\d+) passed/.exec(suite.stdout)?.[1];
  check(
    passed !== undefined && Number(passed) > 0,
    `the conformance suite reported no passing tests:\n${suite.stdout}`,
  );
  step(`conformance: ${passed} tests passed`);

  step(`passed (${PACKAGES.length} packages)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  for (const name of builtHere) rmSync(join(ROOT, "packages", name, "dist"), { recursive: true, force: true });
  if (keep) console.log(`[adopter-check] kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
