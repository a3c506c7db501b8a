import { isUtf8 } from "node:buffer";
import { transcriptError } from "./transcript-error.js";

/** 1-based line number of a character offset in text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Turns transcript bytes into text: strict UTF-8 (the first bad line is named), a leading BOM removed, a size cap
 * checked first. Strings are taken as they are.
 */
export function decodeTranscript(input: string | Uint8Array, file: string, maxBytes: number): string {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (size > maxBytes) {
    throw transcriptError(
      "too_large",
      file,
      null,
      `the transcript is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} an import reads. Split it into several files.`,
    );
  }
  if (typeof input === "string") return input.replace(/^\uFEFF/, "");
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!isUtf8(bytes)) {
    throw transcriptError(
      "invalid_utf8",
      file,
      firstInvalidUtf8Line(bytes),
      "the file is not valid UTF-8. Re-export the transcript as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or remove the damaged line.",
    );
  }
  return bytes.toString("utf8").replace(/^\uFEFF/, "");
}

function firstInvalidUtf8Line(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

/** A byte count for people: `812 B`, `4.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
