import type { CliIo } from "../cli-io.js";
import { EXIT_CODES, usageError } from "../exit-codes.js";
import { checkStoredReportPath } from "../files/report-path.js";
import { followDream } from "../follow-dream.js";
import { DREAM_OPTIONS, dreamSettings, parseCommand } from "../parse-options.js";
import { summaryLines } from "../summary.js";
import { writeReport } from "../write-report.js";
import { modelFor } from "./model-option.js";
import { withStorage } from "./with-storage.js";

/** `nocturne dream --storage <s> --store <id> --sessions <id>...`: a dream on inputs already in storage, by id. */
export async function dreamStored(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("dream", args, {
    ...DREAM_OPTIONS,
    storage: { type: "string" },
    store: { type: "string" },
    sessions: { type: "string", multiple: true },
  });
  if (positionals.length > 0) throw usageError(`nocturne dream: unexpected argument "${positionals[0]}".`);
  if (values.store === undefined) throw usageError("nocturne dream --storage needs --store <memstore_id>.");
  const sessionIds = values.sessions ?? [];
  if (sessionIds.length === 0)
    throw usageError("nocturne dream --storage needs --sessions <session_id>... (stored ids).");
  const settings = await dreamSettings(values);
  const json = values.json === true;
  const model = modelFor(settings.model);
  await checkStoredReportPath(settings.report, values.storage);
  return withStorage(
    values.storage,
    async ({ storage, nocturne }) => {
      const dream = await nocturne.dreams.create(
        {
          inputs: [
            { type: "memory_store", memory_store_id: values.store ?? "" },
            { type: "sessions", session_ids: sessionIds },
          ],
          instructions: settings.instructions,
          ...(settings.model === "offline" ? {} : { model: settings.model }),
        },
        settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs },
      );
      io.stderr.write(`Dream ${dream.id} started.\n`);
      const final = await followDream(nocturne, dream.id, io);
      const report = await nocturne.dreams.report(final.id);
      if (settings.report !== undefined && report !== null) await writeReport(settings.report, report, { storage });
      if (json) io.stdout.write(`${JSON.stringify(final)}\n`);
      else {
        const lines = summaryLines(final, report);
        const output = final.outputs[0]?.memory_store_id;
        if (output) lines.push(`  Output store: ${output}`);
        if (settings.report !== undefined) lines.push(`  Report: ${settings.report}`);
        io.stdout.write(`${lines.join("\n")}\n`);
      }
      return final.status === "completed" ? EXIT_CODES.ok : EXIT_CODES.dreamFailed;
    },
    {
      ...(model === undefined ? {} : { model }),
      ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
      ...(settings.toolResultTokens === undefined ? {} : { toolResultTokens: settings.toolResultTokens }),
    },
  );
}
