import { spawnSync } from "node:child_process";

/**
 * The commit a run measured, as its short hash; `+changes` when `paths` held uncommitted changes, so a figure is never
 * credited to a commit it did not run.
 */
export function commitLabel(root: string, paths: readonly string[]): string {
  const git = (args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = git(["status", "--porcelain", "--", ...paths]) !== "";
  return `${git(["rev-parse", "--short", "HEAD"])}${dirty ? "+changes" : ""}`;
}
