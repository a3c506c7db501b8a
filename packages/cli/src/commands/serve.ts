import { createNocturne, type DreamService, type StorageAdapter } from "@nocturne/core";
import {
  issueApiKey,
  openPostgresTenancyStore,
  openTenancyStore,
  startServer,
  type TenancyStore,
} from "@nocturne/server";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { isPostgres, openStorage, postgresTarget } from "../open-storage.js";
import { durationMs, parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { untilInterrupted } from "../until-interrupted.js";
import { modelFor } from "./model-option.js";
import { loadRunner, queueTarget, sharedStorage, shownUrl } from "./queue-option.js";

/** The storage `nocturne serve` uses when `--storage` is left out. */
const DEFAULT_STORAGE = "sqlite:./nocturne.db";

/**
 * The tenancy file (API keys, which workspace owns which id) beside the storage: `<file>.tenancy.db` for
 * `sqlite:<file>`, `<dir>.tenancy.db` for a folder. PostgreSQL storage keeps tenancy in its own schema instead
 * (see {@link openTenancy}), so there is no file: undefined.
 */
export function tenancyFileFor(storage: string, tenancy: string | undefined): string | undefined {
  if (tenancy !== undefined && tenancy !== "") return tenancy;
  if (isPostgres(storage)) return undefined;
  const base = storage.startsWith("sqlite:") ? storage.slice("sqlite:".length) : storage.replace(/\/+$/, "");
  return `${base}.tenancy.db`;
}

/**
 * The one place the tenancy store is chosen: with `postgres://` storage, tables in the same database and schema
 * (shared by every `nocturne serve` over it); otherwise — or when `--tenancy <file>` names one — a SQLite file.
 */
async function openTenancy(
  storage: string,
  tenancy: string | undefined,
): Promise<{ store: TenancyStore; where: string }> {
  const file = tenancyFileFor(storage, tenancy);
  if (file !== undefined) return { store: openTenancyStore(file), where: file };
  return { store: await openPostgresTenancyStore(postgresTarget(storage)), where: "in PostgreSQL" };
}

/**
 * `nocturne serve`: the hosted Dreams and Memory Stores API over HTTP (see docs/server.md); with
 * `--queue redis://…` (and PostgreSQL storage) its dreams run on `nocturne worker` processes instead of in it.
 * `nocturne serve keys create --workspace <w> [--read-only]` issues an API key, printed once.
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === "keys") return keysCommand(args.slice(1), io);
  const { values, positionals } = parseCommand("serve", args, {
    storage: { type: "string" },
    tenancy: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    model: { type: "string" },
    "dream-timeout": { type: "string" },
    queue: { type: "string" },
  });
  if (positionals.length > 0) throw usageError(`nocturne serve: unexpected "${positionals[0]}".`);
  const port = Number(values.port ?? "8787");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw usageError("--port must be a port number (0–65535).");
  const queue = values.queue;
  const target = queue === undefined ? undefined : queueTarget(queue);
  const spec = queue === undefined ? (values.storage ?? DEFAULT_STORAGE) : sharedStorage(values.storage, "serve");
  if (queue !== undefined && values.model !== undefined) {
    throw usageError("With --queue the workers run the model: pass --model to nocturne worker, not to nocturne serve.");
  }
  const timeout = values["dream-timeout"];
  const dreamTimeoutMs = timeout === undefined ? undefined : dreamTimeout(timeout);
  const storage = await openStorage(spec);
  const service = target === undefined ? await inProcess(storage, values.model) : await distributed(storage, target);
  const tenancy = await openTenancy(spec, values.tenancy);
  const server = await startServer({
    nocturne: service,
    tenancy: tenancy.store,
    host: values.host ?? "127.0.0.1",
    port,
    ...(dreamTimeoutMs === undefined ? {} : { limits: { dreamTimeoutMs } }),
  });
  // A URL's password stays out of the log.
  const runs = queue === undefined ? "" : `, dreams run by the workers of ${shownUrl(queue)}`;
  io.stderr.write(
    `nocturne serve: listening on ${server.url} (storage ${shownUrl(spec)}, tenancy ${tenancy.where}${runs})\n`,
  );
  const running = queue === undefined ? "running dreams are canceled" : "dreams keep running on the workers";
  await untilInterrupted(io, `nocturne serve: stopping (${running}; a second signal quits at once)…\n`, () =>
    server
      .close()
      // A distributed service closes its Redis connections only; the storage is this command's to close.
      .then(() => (queue === undefined ? undefined : storage.close?.())),
  );
  io.stderr.write("nocturne serve: stopped.\n");
  return EXIT_CODES.ok;
}

/** Dreams run in this process by an engine, which first fails the dreams a dead process left running. */
async function inProcess(storage: StorageAdapter, modelSpec: string | undefined): Promise<DreamService> {
  const model = modelFor(modelSpec ?? "offline");
  const nocturne = createNocturne({ storage, ...(model === undefined ? {} : { model }) });
  await nocturne.recover();
  return nocturne;
}

/** Dreams queued on Redis for `nocturne worker` processes (the BullMQ runner, loaded only now). */
async function distributed(storage: StorageAdapter, target: ReturnType<typeof queueTarget>): Promise<DreamService> {
  const { createDistributedNocturne } = await loadRunner();
  return createDistributedNocturne({ ...target, storage });
}

/** `--dream-timeout` in milliseconds, named as such when malformed. */
function dreamTimeout(text: string): number {
  try {
    return durationMs(text);
  } catch {
    throw usageError(`--dream-timeout must be a duration such as 90s, 30m or 2h (at most 24 days), not "${text}".`);
  }
}

async function keysCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("serve keys", args, {
    storage: { type: "string" },
    tenancy: { type: "string" },
    workspace: { type: "string" },
    "read-only": { type: "boolean" },
    json: { type: "boolean" },
  });
  const [action, id] = positionals;
  const usage =
    "Use: nocturne serve keys create --workspace <name> [--read-only] | keys list | keys revoke <key_id>, " +
    "with --storage <s> or --tenancy <file>.";
  if (
    !((action === "create" || action === "list") && positionals.length === 1) &&
    !(action === "revoke" && positionals.length === 2)
  ) {
    throw usageError(usage);
  }
  const json = values.json === true;
  const tenancy = (await openTenancy(values.storage ?? DEFAULT_STORAGE, values.tenancy)).store;
  try {
    if (action === "list") {
      const keys = (await tenancy.listKeys()).map((record) => ({
        id: record.id,
        workspace: record.workspace,
        read_only: record.readOnly,
        created_at: record.created_at,
      }));
      if (json) io.stdout.write(`${JSON.stringify({ data: keys })}\n`);
      else {
        const lines = keys.map(
          (key) =>
            `${key.id}  ${safeText(key.workspace)}${key.read_only ? " (read-only)" : ""}  created ${key.created_at}`,
        );
        io.stdout.write(lines.length === 0 ? "No API keys.\n" : `${lines.join("\n")}\n`);
      }
      return EXIT_CODES.ok;
    }
    if (action === "revoke") {
      if (!(await tenancy.revokeKey(id ?? "")))
        throw usageError(`No API key with id ${JSON.stringify(id)}.`, "See `nocturne serve keys list`.");
      io.stdout.write(json ? `${JSON.stringify({ id, revoked: true })}\n` : `Revoked ${id}.\n`);
      return EXIT_CODES.ok;
    }
    if (values.workspace === undefined) throw usageError("nocturne serve keys create needs --workspace <name>.");
    let issued: Awaited<ReturnType<typeof issueApiKey>>;
    try {
      issued = await issueApiKey(tenancy, values.workspace, { readOnly: values["read-only"] === true });
    } catch (error) {
      throw usageError((error as Error).message);
    }
    const { key, record } = issued;
    if (json) {
      io.stdout.write(
        `${JSON.stringify({ key, id: record.id, workspace: record.workspace, read_only: record.readOnly })}\n`,
      );
    } else {
      io.stdout.write(`${key}\n`);
      io.stderr.write(
        `API key ${record.id} for workspace ${record.workspace}${record.readOnly ? " (read-only)" : ""}. ` +
          "It is shown only now: only its SHA-256 is kept.\n",
      );
    }
    return EXIT_CODES.ok;
  } finally {
    await tenancy.close();
  }
}
