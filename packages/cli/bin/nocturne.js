#!/usr/bin/env node
// The `nocturne` command. Runs the build (dist/bin.js) when there is one; in a source checkout without a build it
// runs src/bin.ts through tsx, resolving workspace packages to their sources (the @nocturne/source condition).
import { existsSync } from "node:fs";
import { register } from "node:module";

const built = new URL("../dist/bin.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  register("./source-condition-hook.js", import.meta.url);
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  await import(new URL("../src/bin.ts", import.meta.url).href);
}
