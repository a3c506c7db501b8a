import { spawnSync } from "node:child_process";

/**
 * The commit a run measured, as its short hash; `+changes` when tracked files under `paths` had uncommitted changes,
 * so a figure is never credited to a commit it did not run (untracked files, such as the run's own output, do not
 * count).
 */
export function commitLabel(root: string, paths: readonly string[]): string {
  const git = (args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = git(["status", "--porcelain", "--untracked-files=no", "--", ...paths]) !== "";
  return `${git(["rev-parse", "--short", "HEAD"])}${dirty ? "+changes" : ""}`;
}
