/** What every help text ends with. */
const FOOTER = `
Paths may start with ~ (the home directory). Exit codes: 0 completed · 1 failed or canceled · 2 bad usage or input.
More: https://github.com/nocturne-dev/nocturne/blob/main/docs/cli.md
`;

const DREAM_SETTINGS = `  --instructions <text>       steering for the dream, at most 4,096 characters
  --instructions-file <f>     the same, read from a file (give one of the two)
  --model <id>                offline (default: rules, no network, no API key), claude-<model>, anthropic:<model>,
                              ollama:<model>, lmstudio:<model>, vllm:<model>, openai:<model>@<base URL>
  --concurrency <n>           most model calls in flight (1–64, default 4)
  --tool-result-tokens <n>    most tokens of one tool result the model reads: longer ones keep head and tail,
                              repeats are read once (default 1000; 0 reads tool output in full)
  --timeout <duration>        runtime budget, e.g. 90s, 30m, 2h (default 6h); past it the dream fails with timeout
  --report <file>             write the review: Markdown for .md, a self-contained page for .html (must not exist)
  --json                      the last line on stdout is the final Dream as JSON`;

/** `nocturne <command> --help` for each command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  dream: `nocturne dream — consolidate memory from past sessions into a new folder or store

Local files (inputs are never modified):
  nocturne dream --memory <dir> --sessions <file-or-dir>... --out <dir> [options]
  --memory <dir>              the memory folder, mounted read-only
  --sessions <file-or-dir>... transcripts (.json, .jsonl, .ndjson; folders searched recursively)
  --out <dir>                 a new folder for the dreamed memory; must not exist yet

Persistent storage:
  nocturne dream --storage <dir|sqlite:file> --store <memstore_id> --sessions <session_id>... [options]

${DREAM_SETTINGS}
`,
  adopt: `nocturne adopt — write a completed dream's output into a memory folder, every change a memory version

  nocturne adopt --from <dream-out-dir> --memory <dir> [--yes] [--json]
  nocturne adopt --storage <dir|sqlite:file> --dream <dream_id> --memory <dir> [--yes] [--json]
  nocturne adopt --undo <dream_id> --memory <dir> [--yes] [--json]
  --undo <dream_id>           restore, from the memory versions, what adopting that dream changed
  --yes                       do not ask (needed when stdin is not a terminal)
  --json                      print the result as JSON
`,
  import: `nocturne import — store a memory folder and transcripts in persistent storage, and print their ids

  nocturne import --storage <dir|sqlite:file> [--memory <dir> [--name <name>]] [--sessions <file-or-dir>...] [--json]
`,
  stores: `nocturne stores — list the memory stores in persistent storage

  nocturne stores list --storage <dir|sqlite:file> [--all] [--json]
  --all                       include archived stores
`,
  sessions: `nocturne sessions — list the sessions in persistent storage

  nocturne sessions list --storage <dir|sqlite:file> [--json]
`,
  dreams: `nocturne dreams — list, show, cancel or archive dreams kept in persistent storage

  nocturne dreams list --storage <dir|sqlite:file> [--all] [--json]
  nocturne dreams show <dream_id> --storage <s> [--report <file.md|file.html>] [--json]
  nocturne dreams cancel <dream_id> --storage <s> [--json]
  nocturne dreams archive <dream_id> --storage <s> [--json]
`,
  serve: `nocturne serve — the hosted Dreams and Memory Stores API over HTTP, for the official SDKs

  nocturne serve [--storage <s>] [--host <h>] [--port <n>] [--model <id>] [--dream-timeout <duration>] [--tenancy <f>]
  nocturne serve --queue <redis-url> --storage <postgres-url> [--host <h>] [--port <n>] [--dream-timeout <duration>]
  --storage <s>               a folder, sqlite:<file> or a postgres:// URL, ?schema=<name> to pick the schema
                              (default sqlite:./nocturne.db)
  --queue <redis-url>         run dreams on nocturne worker processes through BullMQ on this Redis
                              (redis://host:port[/db][?prefix=<p>]); needs PostgreSQL storage
  --host <h>                  the address to listen on (default 127.0.0.1)
  --port <n>                  the port (default 8787; 0 picks a free one)
  --model <id>                the model every dream runs with (default offline; with --queue, the workers')
  --dream-timeout <duration>  each dream's runtime budget (default 6h)
  --tenancy <f>               the file of API keys and workspace ownership (default: beside the storage,
                              <file>.tenancy.db; with PostgreSQL, tables in its own schema, shared by servers)
SIGTERM, SIGINT or SIGHUP stops it: running dreams are canceled cleanly, then storage is closed (with --queue,
dreams keep running on the workers).

  nocturne serve keys create --workspace <name> [--read-only] [--storage <s> | --tenancy <f>] [--json]
Prints a new API key for the workspace, once (only its SHA-256 is kept).
  nocturne serve keys list [--storage <s> | --tenancy <f>] [--json]
  nocturne serve keys revoke <key_id> [--storage <s> | --tenancy <f>] [--json]
Lists the keys (ids, workspaces, never the keys) or revokes one: requests with it fail 401 from then on.
`,
  worker: `nocturne worker — run the dreams nocturne serve --queue queues (BullMQ), as many processes as you like

  nocturne worker --queue <redis-url> --storage <postgres-url> [--model <id>] [--concurrency <n>]
  --queue <redis-url>         the Redis and key prefix of the servers (redis://host:port[/db][?prefix=<p>])
  --storage <postgres-url>    the servers' PostgreSQL storage (?schema=<name> as theirs)
  --model <id>                the model the dreams run with (default offline)
  --concurrency <n>           model calls this process runs at once (1–64, default 4)
SIGTERM, SIGINT or SIGHUP stops it after the jobs it runs; a killed worker's jobs are taken over by another.
`,
};

/** The help text of one command, or undefined for an unknown command. */
export function commandHelp(command: string): string | undefined {
  const help = COMMAND_HELP[command];
  return help === undefined ? undefined : help + FOOTER;
}
