import type { DreamRecord, ListArchivableOptions } from "../ports/storage-adapter.js";
import type { StorageDriver } from "../ports/storage-driver.js";
import type { Page } from "../schemas/common.js";
import type { Dream } from "../schemas/dream.js";
import { copyPlain, copySteps } from "../util/copy-steps.js";
import { createPacer } from "../util/pacer.js";
import { commitWith, DREAM_HEADS, DREAMS, listAll } from "./driver-records.js";
import { compareUtf8, pageOf } from "./paging.js";
import { checkDreamRecord } from "./storage-rules.js";

type DreamHead = Omit<DreamRecord, "report">;

/** Dream records on a driver: each stored whole, beside its head (dream and owner) for listing and status reads. */
export const driverDreams = {
  /** Copies the record in paced steps, so a large report never holds the event loop, then stores it whole. */
  async put(driver: StorageDriver, record: DreamRecord): Promise<void> {
    checkDreamRecord(record);
    const copy = await createPacer().run(copySteps(record));
    const { report, ...head } = copy;
    await commitWith(driver, async () => ({
      writes: [
        { op: "put", collection: DREAMS, key: copy.dream.id, value: { ...head, report } },
        { op: "put", collection: DREAM_HEADS, key: copy.dream.id, value: head },
      ],
      result: undefined,
    }));
  },

  async get(driver: StorageDriver, id: string, options: { report?: boolean }): Promise<DreamRecord | null> {
    if (options.report === false) {
      const head = await driver.get(DREAM_HEADS, id);
      return head ? { ...copyPlain(head.value as DreamHead), report: null } : null;
    }
    const entry = await driver.get(DREAMS, id);
    return entry ? copyPlain(entry.value as DreamRecord) : null;
  },

  /** Newest first: dream ids are time-ordered. */
  async list(driver: StorageDriver, options: ListArchivableOptions): Promise<Page<Dream>> {
    const newestFirst = (a: string, b: string) => compareUtf8(b, a);
    const dreams = (await listAll(driver, DREAM_HEADS))
      .map((entry) => (entry.value as DreamHead).dream)
      .filter((dream) => options.include_archived || dream.archived_at === null)
      .reverse();
    return copyPlain(pageOf(dreams, (dream) => dream.id, options.limit, options.after, newestFirst));
  },
};
