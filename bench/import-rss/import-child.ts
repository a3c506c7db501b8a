// Imports one transcript file and prints its event count, the time taken and this process's peak RSS as JSON.
import { importTranscriptFile } from "@nocturne/core";

const started = performance.now();
const { session } = await importTranscriptFile(process.argv[2] ?? "");
const ms = performance.now() - started;
console.log(
  JSON.stringify({
    events: session.events.length,
    ms: Math.round(ms),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
