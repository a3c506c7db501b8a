// `pnpm bench:import-rss [MiB] [--storage=fs,sqlite,postgres] [--out=file]`: peak RSS of storing one Claude Code
// transcript of tiny JSONL lines as a session (default 256 MiB, the importer's size limit; storages fs and sqlite,
// postgres when named — it needs the local server). The transcript is generated into a temporary folder; each
// import runs in a child process so its peak (`maxRSS`) is its own. Prints the figures and writes them, with their
// goal, to bench/import-rss-results.json.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { Figure, figure, renderTable } from "../harness/figures.js";

/** Under 1 GB: 10^9 bytes, in MiB. */
const GOAL_MIB = 953;

const Args = z.object({
  mib: z.number().positive(),
  storages: z.array(z.enum(["fs", "sqlite", "postgres"])).min(1),
  out: z.string(),
});

const ChildResult = z.object({ events: z.number(), ms: z.number(), peakRssMiB: z.number() });

/** What the results file holds. */
const ImportResults = z.object({
  generated_at: z.string(),
  machine: z.object({ cpus: z.number(), node: z.string(), load_start: z.number(), load_end: z.number() }),
  transcript: z.object({ mib: z.number(), lines: z.number() }),
  figures: z.array(Figure),
});

function parseArgs(argv: string[]): z.infer<typeof Args> {
  let mib = 256;
  let storages = ["fs", "sqlite"];
  let out = join(import.meta.dirname, "..", "import-rss-results.json");
  for (const arg of argv) {
    if (arg.startsWith("--storage=")) storages = arg.slice(10).split(",").filter(Boolean);
    else if (arg.startsWith("--out=")) out = resolve(arg.slice(6));
    else mib = Number(arg);
  }
  return Args.parse({ mib, storages, out });
}

async function writeTranscript(file: string, mib: number): Promise<number> {
  const out = createWriteStream(file);
  const limit = mib * 1024 * 1024 - 4096;
  let written = 0;
  let line = 0;
  const start = Date.parse("2026-01-01T00:00:00Z");
  while (written < limit) {
    const role = line % 2 === 0 ? "user" : "assistant";
    const text = line % 2 === 0 ? `ok ${line}` : `done ${line}`;
    const row = `${JSON.stringify({
      type: role,
      uuid: `u-${line}`,
      sessionId: "tiny-lines",
      timestamp: new Date(start + line * 1000).toISOString(),
      message: { role, content: text },
    })}\n`;
    written += Buffer.byteLength(row);
    if (!out.write(row)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    line++;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return line;
}

const args = parseArgs(process.argv.slice(2));
const loadStart = loadavg()[0] ?? 0;
const dir = await mkdtemp(join(tmpdir(), "nocturne-import-rss-"));
const file = join(dir, "tiny-lines.jsonl");
try {
  const lines = await writeTranscript(file, args.mib);
  const size = (await stat(file)).size / 2 ** 20;
  const scenario = `${size.toFixed(0)} MiB Claude Code JSONL, ${lines.toLocaleString("en-US")} tiny lines, storeTranscriptFile`;
  const figures: Figure[] = [];
  for (const storage of args.storages) {
    const scratch = join(dir, storage);
    await mkdir(scratch);
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@nocturne/source",
        join(import.meta.dirname, "import-child.ts"),
        file,
        storage,
        scratch,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (child.status !== 0) throw new Error(`the import into ${storage} failed (exit ${child.status})`);
    const result = ChildResult.parse(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}"));
    console.log(
      `${storage}: ${result.events.toLocaleString("en-US")} events stored in ${(result.ms / 1000).toFixed(1)} s; peak RSS ${result.peakRssMiB} MiB`,
    );
    figures.push(
      figure({
        name: `import_peak_rss_mib_${storage}`,
        value: result.peakRssMiB,
        unit: "MiB",
        scenario: `${scenario} into ${storage}`,
        goal: { op: "<", value: GOAL_MIB },
        note: "goal: under 1 GB (10^9 bytes ≈ 953.7 MiB)",
      }),
      figure({
        name: `import_s_${storage}`,
        value: result.ms / 1000,
        unit: "s",
        scenario: `${scenario} into ${storage}`,
      }),
    );
    await rm(scratch, { recursive: true, force: true });
  }
  const results = ImportResults.parse({
    generated_at: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      node: process.version,
      load_start: loadStart,
      load_end: loadavg()[0] ?? 0,
    },
    transcript: { mib: Number(size.toFixed(1)), lines },
    figures,
  });
  await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${renderTable(figures)}\n\nWrote ${args.out}`);
  if (figures.some((entry) => entry.meets_goal === false)) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
