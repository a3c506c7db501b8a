import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  type ConsolidationReport,
  type Dream,
  type DreamRecord,
  type Session,
  type SessionSummary,
  storageRules,
} from "@nocturne/core";
import { writeFileAtomic } from "./atomic-write.js";
import { decodeIdName, encodeIdName } from "./file-names.js";
import { isErrno } from "./fs-errors.js";

const REPORT_SUFFIX = ".report.json";

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    throw error;
  }
}

async function idsIn(dir: string, suffix: string, exclude?: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith(suffix) || (exclude !== undefined && name.endsWith(exclude))) continue;
    const id = decodeIdName(name.slice(0, -suffix.length));
    if (id !== null) ids.push(id);
  }
  return ids;
}

/**
 * Sessions as JSON files, one per session: `sessions/<id>.json`, pretty-printed when put whole, events first and
 * one per line when written in parts (see `sessionPartsFile`).
 */
export class SessionFiles {
  constructor(
    private readonly dir: string,
    private readonly durable: boolean,
  ) {}

  /** The file of session `id`. */
  fileOf(id: string): string {
    return join(this.dir, `${encodeIdName(id, "session")}.json`);
  }

  async put(session: Session): Promise<void> {
    await writeFileAtomic(this.fileOf(session.id), `${JSON.stringify(session, null, 2)}\n`, { durable: this.durable });
  }

  /** The session, its fields in the schema's order whichever way its file was written (whole, or in parts). */
  async get(id: string): Promise<Session | null> {
    const stored = await readJson<Session>(this.fileOf(id));
    return stored === null ? null : storageRules.sessionOf(stored, stored.events);
  }

  /** Every session id. */
  ids(): Promise<string[]> {
    return idsIn(this.dir, ".json");
  }

  async summary(id: string): Promise<SessionSummary | null> {
    const session = await this.get(id);
    if (session === null) return null;
    return { id: session.id, title: session.title, created_at: session.created_at, event_count: session.events.length };
  }

  /** Deletes a session's file; false when there was none. */
  async delete(id: string): Promise<boolean> {
    try {
      await unlink(this.fileOf(id));
      return true;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return false;
      throw error;
    }
  }
}

/**
 * Dream records as files: `dreams/<id>.json` holds the dream and its owner, `dreams/<id>.report.json` its
 * report, so listing dreams never reads reports.
 */
export class DreamFiles {
  constructor(
    private readonly dir: string,
    private readonly durable: boolean,
  ) {}

  private base(id: string): string {
    return join(this.dir, encodeIdName(id, "dream"));
  }

  /** Writes the report first, then the dream: a reader never sees a dream newer than its report. */
  async put(record: DreamRecord): Promise<void> {
    const base = this.base(record.dream.id);
    const options = { durable: this.durable };
    if (record.report === null) await unlink(`${base}${REPORT_SUFFIX}`).catch(() => undefined);
    else await writeFileAtomic(`${base}${REPORT_SUFFIX}`, `${JSON.stringify(record.report, null, 2)}\n`, options);
    const head = { dream: record.dream, owner: record.owner ?? null };
    await writeFileAtomic(`${base}.json`, `${JSON.stringify(head, null, 2)}\n`, options);
  }

  async get(id: string): Promise<DreamRecord | null> {
    const base = this.base(id);
    const head = await readJson<{ dream: Dream; owner?: DreamRecord["owner"] }>(`${base}.json`);
    if (head === null) return null;
    const report = await readJson<ConsolidationReport>(`${base}${REPORT_SUFFIX}`);
    return { dream: head.dream, report, owner: head.owner ?? null };
  }

  /** Every dream, without reports. */
  async dreams(): Promise<Dream[]> {
    const dreams: Dream[] = [];
    for (const id of await idsIn(this.dir, ".json", REPORT_SUFFIX)) {
      const head = await readJson<{ dream: Dream }>(`${this.base(id)}.json`);
      if (head !== null) dreams.push(head.dream);
    }
    return dreams;
  }
}
