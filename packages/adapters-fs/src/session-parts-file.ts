import type { FileHandle } from "node:fs/promises";
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SessionHeader, SessionPartsDriver } from "@nocturne/core";
import { fsyncDir } from "./atomic-write.js";
import { tempName } from "./temp-files.js";

/** Where a session file written in parts goes, and how. */
export interface SessionPartsTarget {
  /** The sessions folder; the temporary file is made here, so the final rename stays on one file system. */
  dir: string;
  /** The file of session `id`. */
  fileOf(id: string): string;
  durable: boolean;
}

/**
 * A session file written in parts: a temporary file (named after this process, see `sweepTempFiles`) gets
 * `{"events":[`, then each part's events one per line, then — at commit, once the header is known — the rest of
 * the session, and is renamed over `sessions/<id>.json`. Readers see the old file or the whole new one; a killed
 * writer leaves only the temporary file, which the next adapter to open the folder removes.
 */
export function sessionPartsFile(target: SessionPartsTarget): SessionPartsDriver {
  const temp = join(target.dir, tempName());
  let handle: FileHandle | undefined;
  let written = 0;
  const opened = async (): Promise<FileHandle> => {
    if (handle === undefined) {
      handle = await open(temp, "wx");
      await handle.write('{"events":[\n');
    }
    return handle;
  };
  const closeHandle = async () => {
    const current = handle;
    handle = undefined;
    await current?.close();
  };
  return {
    async stage(part) {
      const file = await opened();
      const lines = part.events.map((event) => JSON.stringify(event)).join(",\n");
      await file.write(written === 0 ? lines : `,\n${lines}`);
      written += part.events.length;
    },
    async commit(header: SessionHeader) {
      const file = await opened();
      await file.write(`\n],${JSON.stringify(header).slice(1)}\n`);
      if (target.durable) await file.sync();
      await closeHandle();
      await rename(temp, target.fileOf(header.id));
      if (target.durable) await fsyncDir(target.dir);
    },
    async abort() {
      await closeHandle().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
