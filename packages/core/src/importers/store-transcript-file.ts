import { sessionWriterFor } from "../adapters/session-writer-for.js";
import { toNocturneError } from "../errors.js";
import type { SessionWriter } from "../ports/session-writer.js";
import type { StorageAdapter } from "../ports/storage-adapter.js";
import type { SessionHeader, SessionSummary } from "../schemas/session.js";
import { openTranscriptFile, readWholeTranscriptFile, streamTranscriptFile } from "./import-files.js";
import type {
  ImportTranscriptOptions,
  ImportWarning,
  SessionTimeSource,
  TranscriptFormat,
} from "./transcript-format.js";

/** A transcript file read into storage but not yet visible: `commit` shows the session, `abort` discards it. */
export interface StagedTranscript {
  /** The session's id, title, time and metadata, known once the whole file was read. */
  session: SessionHeader;
  eventCount: number;
  format: TranscriptFormat;
  timeSource: SessionTimeSource;
  warnings: ImportWarning[];
  /** Makes the session visible, whole, replacing one of the same id. */
  commit(): Promise<SessionSummary>;
  /** Discards the staged session. */
  abort(): Promise<void>;
}

/** A transcript file stored as a session. */
export interface StoredTranscript {
  session: SessionSummary;
  format: TranscriptFormat;
  timeSource: SessionTimeSource;
  warnings: ImportWarning[];
}

/**
 * Reads a transcript file into storage through a {@link SessionWriter}, without making it visible: a large Claude
 * Code JSONL file goes in batch by batch as it is read, so neither the file nor its events are ever held whole
 * (on adapters with `openSessionWriter`; others get the buffering fallback). Other files are read whole, as
 * `importTranscriptFile` reads them. Errors are those of `importTranscriptFile`, and storage errors; after any error
 * nothing is staged. Call `commit` or `abort` on the result.
 */
export async function stageTranscriptFile(
  storage: StorageAdapter,
  path: string,
  options: Omit<ImportTranscriptOptions, "fileName" | "fileModifiedAt"> = {},
): Promise<StagedTranscript> {
  const file = await openTranscriptFile(path, options);
  let writer = await sessionWriterFor(storage);
  try {
    if (file.streamable) {
      const streamed = await streamTranscriptFile(file, (events) =>
        writer.append(events).catch((error: unknown) => {
          throw toNocturneError(error, "storage_error");
        }),
      );
      if (streamed !== null) {
        const { header, eventCount, format, timeSource, warnings } = streamed;
        return staged(writer, { session: header, eventCount, format, timeSource, warnings });
      }
      await writer.abort();
      writer = await sessionWriterFor(storage);
    }
    const whole = await readWholeTranscriptFile(file);
    const { events, ...header } = whole.session;
    await writer.append(events);
    const { format, timeSource, warnings } = whole;
    return staged(writer, { session: header, eventCount: events.length, format, timeSource, warnings });
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** {@link stageTranscriptFile}, then commit: the transcript becomes a stored session, whole, or nothing does. */
export async function storeTranscriptFile(
  storage: StorageAdapter,
  path: string,
  options: Omit<ImportTranscriptOptions, "fileName" | "fileModifiedAt"> = {},
): Promise<StoredTranscript> {
  const {
    commit,
    session: _header,
    eventCount: _count,
    abort: _abort,
    ...rest
  } = await stageTranscriptFile(storage, path, options);
  return { session: await commit(), ...rest };
}

function staged(writer: SessionWriter, read: Omit<StagedTranscript, "commit" | "abort">): StagedTranscript {
  return { ...read, commit: () => writer.commit(read.session), abort: () => writer.abort() };
}
