import { newId } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { expectCode, sampleDream, sampleDreamRecord } from "./helpers.js";

/** Dream records: put (create or replace), get, list newest first with archived ones hidden. */
export function dreamTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("dream records", () => {
    it("stores a record whole: dream, report and owner", async () => {
      const record = sampleDreamRecord(newId("drm"));
      await h.adapter.putDreamRecord(record);
      expect(await h.adapter.getDreamRecord(record.dream.id)).toEqual(record);
      expect(await h.adapter.getDreamRecord("drm_missing")).toBeNull();
    });

    it("stores a record without report or owner", async () => {
      const record = { dream: sampleDream(newId("drm"), { status: "pending", outputs: [] }), report: null };
      await h.adapter.putDreamRecord(record);
      const read = await h.adapter.getDreamRecord(record.dream.id);
      expect(read?.dream).toEqual(record.dream);
      expect(read?.report).toBeNull();
      expect(read?.owner ?? null).toBeNull();
    });

    it("replaces a record put again under the same id", async () => {
      const id = newId("drm");
      await h.adapter.putDreamRecord(sampleDreamRecord(id));
      const ended = sampleDreamRecord(id, {
        status: "failed",
        error: { type: "internal_error", message: "The process running this dream stopped." },
        ended_at: "2026-03-01T10:05:00.000Z",
      });
      ended.owner = null;
      await h.adapter.putDreamRecord(ended);
      expect(await h.adapter.getDreamRecord(id)).toEqual(ended);
      expect((await h.adapter.listDreams()).data).toEqual([ended.dream]);
    });

    it("refuses a record whose dream is invalid with invalid_input", async () => {
      const record = sampleDreamRecord(newId("drm"));
      await expectCode(
        h.adapter.putDreamRecord({ ...record, dream: { ...record.dream, status: "dreaming" as never } }),
        "invalid_input",
      );
      expect(await h.adapter.getDreamRecord(record.dream.id)).toBeNull();
    });

    it("lists dreams newest first, pages, and hides archived ones unless asked", async () => {
      const ids = Array.from({ length: 5 }, () => newId("drm"));
      for (const id of [ids[2], ids[0], ids[4], ids[1], ids[3]] as string[]) {
        await h.adapter.putDreamRecord(sampleDreamRecord(id));
      }
      const newest = [...ids].reverse();
      const all = await h.adapter.listDreams();
      expect(all.data.map((dream) => dream.id)).toEqual(newest);
      expect(all.next_cursor).toBeNull();
      expect(all.data[0]).toEqual(sampleDream(newest[0] as string));

      const first = await h.adapter.listDreams({ limit: 2 });
      expect(first.data.map((dream) => dream.id)).toEqual(newest.slice(0, 2));
      const second = await h.adapter.listDreams({ limit: 2, after: first.next_cursor ?? undefined });
      expect(second.data.map((dream) => dream.id)).toEqual(newest.slice(2, 4));
      const third = await h.adapter.listDreams({ limit: 2, after: second.next_cursor ?? undefined });
      expect(third.data.map((dream) => dream.id)).toEqual(newest.slice(4));
      expect(third.next_cursor).toBeNull();

      const archivedId = ids[3] as string;
      const archived = sampleDreamRecord(archivedId, {
        status: "completed",
        ended_at: "2026-03-01T10:10:00.000Z",
        archived_at: "2026-03-01T11:00:00.000Z",
      });
      await h.adapter.putDreamRecord(archived);
      expect((await h.adapter.listDreams()).data.map((dream) => dream.id)).toEqual(
        newest.filter((id) => id !== archivedId),
      );
      const withArchived = await h.adapter.listDreams({ include_archived: true });
      expect(withArchived.data.map((dream) => dream.id)).toEqual(newest);
      expect(withArchived.data.find((dream) => dream.id === archivedId)).toEqual(archived.dream);
      expect((await h.adapter.getDreamRecord(archivedId))?.dream.archived_at).toBe("2026-03-01T11:00:00.000Z");
    });

    it("returns copies: changing a returned record changes nothing stored", async () => {
      const record = sampleDreamRecord(newId("drm"));
      await h.adapter.putDreamRecord(record);
      record.dream.status = "canceled";
      const read = await h.adapter.getDreamRecord(record.dream.id);
      expect(read?.dream.status).toBe("running");
      if (read) read.dream.usage.input_tokens = 999;
      expect((await h.adapter.listDreams()).data[0]?.usage.input_tokens).toBe(10);
    });
  });
}
