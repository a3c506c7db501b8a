/** The CLI's help text. */
export const USAGE = `nocturne — consolidate an agent's memory from its past sessions ("dreaming")

Dream over local files (inputs are never modified; --out must not exist yet):
  nocturne dream --memory <dir> --sessions <file-or-dir>... --out <dir>
                 [--instructions <text> | --instructions-file <f>] [--model offline|<model-id>]
                 [--concurrency <n>] [--tool-result-tokens <n>] [--timeout <duration>]
                 [--report <file.md|file.html>] [--json]

Adopt a dream's output (every change is a memory version in <dir>/.nocturne, undone with --undo):
  nocturne adopt --from <dream-out-dir> --memory <dir> [--yes] [--json]
  nocturne adopt --storage <s> --dream <dream_id> --memory <dir> [--yes] [--json]
  nocturne adopt --undo <dream_id> --memory <dir> [--yes] [--json]

Work on persistent storage (a folder, sqlite:<file>, or a postgres:// URL):
  nocturne import   --storage <s> [--memory <dir> [--name <name>]] [--sessions <file-or-dir>...] [--json]
  nocturne stores   list --storage <s> [--all] [--json]
  nocturne sessions list --storage <s> [--json]
  nocturne dream    --storage <s> --store <memstore_id> --sessions <session_id>... [--instructions ...]
                    [--model ...] [--concurrency <n>] [--tool-result-tokens <n>] [--timeout <duration>]
                    [--report <file>] [--json]
  nocturne dreams   list --storage <s> [--all] [--json]
  nocturne dreams   show <dream_id> --storage <s> [--report <file.md|file.html>] [--json]
  nocturne dreams   cancel <dream_id> --storage <s> [--json]
  nocturne dreams   archive <dream_id> --storage <s> [--json]

Serve the hosted Dreams and Memory Stores API over HTTP (docs/server.md):
  nocturne serve [--storage <s>] [--host <h>] [--port <n>] [--model ...] [--dream-timeout <duration>] [--tenancy <f>]
  nocturne serve keys create --workspace <name> [--read-only] [--storage <s> | --tenancy <f>] [--json]
  nocturne serve keys list | keys revoke <key_id> [--storage <s> | --tenancy <f>] [--json]
  nocturne serve --queue <redis-url> --storage <postgres-url> ...   dreams run by:
  nocturne worker --queue <redis-url> --storage <postgres-url> [--model ...] [--concurrency <n>]

Models: offline (default: rules, no network, no API key), claude-<model> or anthropic:<model> (ANTHROPIC_API_KEY),
ollama:<model>, lmstudio:<model>, vllm:<model>, openai:<model>@<base URL>.

Help on one command: nocturne <command> --help · the version: nocturne --version
Paths may start with ~ (the home directory).

Exit codes: 0 the dream completed · 1 it failed or was canceled · 2 bad usage or bad input.
With --json the last line on stdout is the final Dream (or {"error": …}) as JSON.
Ctrl-C cancels a running dream cleanly and keeps what it wrote; press it twice to quit at once.
`;
