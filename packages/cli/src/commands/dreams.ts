import { type Dream, renderReportMarkdown } from "@nocturne/core";
import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { checkStoredReportPath } from "../files/report-path.js";
import { parseCommand } from "../parse-options.js";
import { safeText } from "../terminal-text.js";
import { writeReport } from "../write-report.js";
import { withStorage } from "./with-storage.js";

/** One line per dream for a terminal. */
export function dreamLine(dream: Dream): string {
  const output = dream.outputs[0]?.memory_store_id ?? "-";
  const archived = dream.archived_at ? " (archived)" : "";
  return `${dream.id}  ${dream.status.padEnd(9)}  ${dream.created_at}  model ${dream.model.id}  → ${output}${archived}`;
}

/** `nocturne dreams list|show|cancel|archive`: dreams kept in storage. */
export async function dreamsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("dreams", args, {
    storage: { type: "string" },
    all: { type: "boolean" },
    report: { type: "string" },
    json: { type: "boolean" },
  });
  const [action, id, extra] = positionals;
  const json = values.json === true;
  if (extra !== undefined) throw usageError(`nocturne dreams: unexpected argument "${extra}".`);
  const needId = () => {
    if (id === undefined) throw usageError(`nocturne dreams ${action} needs a dream id.`);
    return id;
  };
  if (action === "show") await checkStoredReportPath(values.report, values.storage);
  return withStorage(values.storage, async ({ storage, nocturne }) => {
    switch (action) {
      case "list": {
        const dreams: Dream[] = [];
        let after: string | undefined;
        do {
          const page = await nocturne.dreams.list({
            limit: 1000,
            include_archived: values.all === true,
            ...(after ? { after } : {}),
          });
          dreams.push(...page.data);
          after = page.next_cursor ?? undefined;
        } while (after !== undefined);
        if (json) io.stdout.write(`${JSON.stringify({ data: dreams })}\n`);
        else io.stdout.write(dreams.length === 0 ? "No dreams.\n" : `${dreams.map(dreamLine).join("\n")}\n`);
        return EXIT_CODES.ok;
      }
      case "show": {
        const dream = await nocturne.dreams.retrieve(needId());
        const report = await nocturne.dreams.report(dream.id);
        if (values.report !== undefined && report !== null) await writeReport(values.report, report, { storage });
        if (json) {
          io.stdout.write(`${JSON.stringify({ report })}\n${JSON.stringify(dream)}\n`);
        } else {
          io.stdout.write(`${dreamLine(dream)}\n`);
          if (dream.error) io.stdout.write(`${dream.error.type}: ${safeText(dream.error.message)}\n`);
          if (report !== null) io.stdout.write(`\n${renderReportMarkdown(report)}`);
        }
        return EXIT_CODES.ok;
      }
      case "cancel":
      case "archive": {
        const dream =
          action === "cancel" ? await nocturne.dreams.cancel(needId()) : await nocturne.dreams.archive(needId());
        io.stdout.write(json ? `${JSON.stringify(dream)}\n` : `${dreamLine(dream)}\n`);
        return EXIT_CODES.ok;
      }
      default:
        throw usageError(`nocturne dreams needs list, show, cancel or archive${action ? `, not "${action}"` : ""}.`);
    }
  });
}
