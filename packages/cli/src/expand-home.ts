import { homedir } from "node:os";
import { join } from "node:path";

/** The options whose values are paths (`--storage` may also be `sqlite:<file>`). */
export const PATH_OPTIONS: readonly string[] = [
  "memory",
  "sessions",
  "out",
  "from",
  "report",
  "storage",
  "instructions-file",
  "tenancy",
];

/**
 * Expands a leading `~` (alone or followed by `/`) to the home directory, as a shell would for an unquoted word:
 * `--memory=~/notes` and a quoted `"~/notes"` reach the command unexpanded. `sqlite:~/x.db` expands after the
 * prefix. `~user` forms are left as they are.
 */
export function expandHome(value: string, home: string = homedir()): string {
  if (value.startsWith("sqlite:")) return `sqlite:${expandHome(value.slice("sqlite:".length), home)}`;
  if (value === "~") return home;
  if (value.startsWith("~/")) return join(home, value.slice(2));
  return value;
}
