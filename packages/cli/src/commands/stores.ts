import type { MemoryStore, SessionSummary } from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { withStorage } from "./with-storage.js";

/** `nocturne stores list` and `nocturne sessions list`: what storage holds. */
export async function listCommand(kind: "stores" | "sessions", args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(kind, args, {
    storage: { type: "string" },
    all: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (positionals[0] !== "list" || positionals.length > 1)
    throw usageError(`Use: nocturne ${kind} list --storage <s>.`);
  const json = values.json === true;
  return withStorage(values.storage, async ({ storage }) => {
    if (kind === "stores") {
      const stores: MemoryStore[] = [];
      let after: string | undefined;
      do {
        const page = await storage.listMemoryStores({
          limit: 1000,
          include_archived: values.all === true,
          ...(after ? { after } : {}),
        });
        stores.push(...page.data);
        after = page.next_cursor ?? undefined;
      } while (after !== undefined);
      if (json) io.stdout.write(`${JSON.stringify({ data: stores })}\n`);
      else {
        const lines = stores.map(
          (store) =>
            `${store.id}  ${safeText(store.name)}${store.archived_at ? " (archived)" : ""}  created ${store.created_at}`,
        );
        io.stdout.write(lines.length === 0 ? "No memory stores.\n" : `${lines.join("\n")}\n`);
      }
      return EXIT_CODES.ok;
    }
    const sessions: SessionSummary[] = [];
    let after: string | undefined;
    do {
      const page = await storage.listSessions({ limit: 1000, ...(after ? { after } : {}) });
      sessions.push(...page.data);
      after = page.next_cursor ?? undefined;
    } while (after !== undefined);
    if (json) io.stdout.write(`${JSON.stringify({ data: sessions })}\n`);
    else {
      const lines = sessions.map(
        (session) =>
          `${session.id}  ${session.created_at}  ${session.event_count} events  ${safeText(session.title ?? "")}`,
      );
      io.stdout.write(lines.length === 0 ? "No sessions.\n" : `${lines.join("\n")}\n`);
    }
    return EXIT_CODES.ok;
  });
}
