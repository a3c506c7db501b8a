import { readFileSync } from "node:fs";
import { z } from "zod";

const PackageJson = z.object({ name: z.string(), version: z.string() });

/**
 * The version of @nocturne/cli, read from its package.json (one folder above both `src/` and the built `dist/`).
 */
export function cliVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  return PackageJson.parse(JSON.parse(text)).version;
}
