// The README demo: a dream over the example data with the offline model (no API key, no network).
// Run it with `npx -y pnpm@10 demo`, or `npx tsx --conditions=@nocturne/source examples/local-files/dream.ts [out-dir]`.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createFsAdapter } from "@nocturne/adapters-fs";
import {
  createNocturne,
  importTranscriptFile,
  listTranscriptFiles,
  renderReportHtml,
  renderReportMarkdown,
} from "@nocturne/core";

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, "../data");
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = resolve(process.argv[2] ?? join(here, "out", `dream-${stamp}`));
const shown = (path: string) => relative(process.cwd(), path) || ".";

// Working state (the adapter's registry, session copies, the dream record) lives in a throwaway folder; the
// memory folder is mounted read-only and the new memory is written to <out>/memory.
const state = await mkdtemp(join(tmpdir(), "nocturne-demo-"));
await mkdir(outDir, { recursive: true });
const storage = createFsAdapter({ root: state, storeFolder: () => join(outDir, "memory") });
const nocturne = createNocturne({ storage });

try {
  const input = await storage.mountFolder(join(data, "memory"), { readOnly: true, name: "example memory" });
  const sessions = [];
  for (const file of await listTranscriptFiles([join(data, "sessions")])) {
    const { session, format, timeSource } = await importTranscriptFile(file);
    await storage.putSession(session);
    sessions.push(session);
    const when = timeSource === "transcript" ? session.created_at.slice(0, 10) : `${timeSource.replace("_", " ")}`;
    console.log(`  read ${shown(file)} (${format}, ${session.events.length} events, ${when})`);
  }

  const dream = await nocturne.dreams.create({
    inputs: [
      { type: "memory_store", memory_store_id: input.id },
      { type: "sessions", session_ids: sessions.map((session) => session.id) },
    ],
    instructions: "Keep lasting preferences and project facts; drop one-off debugging noise.",
  });
  console.log(`\nDreaming (${dream.id}) over ${sessions.length} sessions and ${shown(join(data, "memory"))} …`);
  for await (const event of nocturne.dreams.events(dream.id)) {
    if (event.type === "stage") console.log(`  · ${event.stage}`);
    if (event.type === "notice") console.log(`  note: ${event.message}`);
  }
  const final = await nocturne.dreams.wait(dream.id);
  const report = await nocturne.dreams.report(dream.id);
  if (report === null) throw new Error(`dream ${final.id} ended ${final.status} without a report`);

  const contents = async (storeId: string | undefined) =>
    storeId === undefined
      ? []
      : (await storage.listMemories(storeId, { limit: 1000 })).data.map(({ path, content }) => ({ path, content }));
  const options = {
    before: await contents(input.id),
    after: await contents(final.outputs[0]?.memory_store_id),
    sessions: sessions.map((session) => ({
      id: session.id,
      title: session.title,
      created_at: session.created_at,
      metadata: session.metadata,
    })),
  };
  const markdown = renderReportMarkdown(report, options);
  await writeFile(join(outDir, "report.md"), markdown);
  await writeFile(join(outDir, "report.html"), renderReportHtml(report, options));

  // What changed: the report up to the per-memory detail (summary, superseded, merged, insights, dropped).
  console.log(`\n${markdown.slice(0, markdown.indexOf("## Memories before")).trimEnd()}\n`);
  console.log(`New memory:  ${shown(join(outDir, "memory"))}/`);
  console.log(`Full report: ${shown(join(outDir, "report.md"))} and ${shown(join(outDir, "report.html"))}`);
  console.log(`The input folder ${shown(join(data, "memory"))} was only read.`);
  process.exitCode = final.status === "completed" ? 0 : 1;
} finally {
  await nocturne.close();
  await rm(state, { recursive: true, force: true });
}
