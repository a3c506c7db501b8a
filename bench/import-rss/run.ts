// `pnpm bench:import-rss [MiB]`: peak RSS of importing one Claude Code transcript of tiny JSONL lines (default
// 256 MiB, the importer's size limit). The transcript is generated into a temporary folder; the import runs in a
// child process so its peak (`maxRSS`) is its own.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mib = Number(process.argv[2] ?? 256);
const dir = await mkdtemp(join(tmpdir(), "nocturne-import-rss-"));
const file = join(dir, "tiny-lines.jsonl");
try {
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
  const size = (await stat(file)).size;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@nocturne/source", join(import.meta.dirname, "import-child.ts"), file],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (child.status !== 0) throw new Error(`the import failed (exit ${child.status})`);
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as {
    events: number;
    peakRssMiB: number;
    ms: number;
  };
  console.log(
    `import of ${(size / 2 ** 20).toFixed(0)} MiB, ${line} tiny JSONL lines → ${result.events} events in ${(result.ms / 1000).toFixed(1)} s; peak RSS ${result.peakRssMiB} MiB`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
