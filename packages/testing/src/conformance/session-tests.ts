import type { Session } from "@nocturne/core";
import type { Harness } from "./harness.js";
import { byUtf8, expectCode, sampleSession } from "./helpers.js";

/** Sessions: put (create or replace), get, list summaries sorted by id, delete. */
export function sessionTests(h: Harness): void {
  const { describe, expect, it } = h.runner;
  describe("sessions", () => {
    it("stores a session and returns it whole", async () => {
      const input = sampleSession("sesn_one");
      const stored = await h.adapter.putSession(input);
      expect(stored).toEqual(input);
      expect(await h.adapter.getSession("sesn_one")).toEqual(input);
      expect(await h.adapter.getSession("sesn_missing")).toBeNull();
    });

    it("fills metadata with {} when absent", async () => {
      const { metadata: _omitted, ...input } = sampleSession("sesn_bare");
      const stored = await h.adapter.putSession(input as Session);
      expect(stored.metadata).toEqual({});
      expect((await h.adapter.getSession("sesn_bare"))?.metadata).toEqual({});
    });

    it("replaces a session put again under the same id", async () => {
      const first = sampleSession("sesn_re");
      await h.adapter.putSession(first);
      const second: Session = { ...first, title: null, events: first.events.slice(0, 1) };
      await h.adapter.putSession(second);
      expect(await h.adapter.getSession("sesn_re")).toEqual(second);
      const [summary] = (await h.adapter.listSessions()).data;
      expect(summary).toEqual({ id: "sesn_re", title: null, created_at: first.created_at, event_count: 1 });
    });

    it("refuses an invalid session with invalid_input", async () => {
      const session = sampleSession("sesn_bad");
      const duplicated = { ...session, events: [...session.events, ...session.events.slice(0, 1)] };
      await expectCode(h.adapter.putSession(duplicated), "invalid_input");
      await expectCode(h.adapter.putSession({ ...session, created_at: "yesterday" }), "invalid_input");
      expect(await h.adapter.getSession("sesn_bad")).toBeNull();
    });

    it("keeps ids with unusual characters apart and intact", async () => {
      const ids = ["../escape", "a/b", "a%2Fb", ".hidden", "ünï 😀", "CON", "x".repeat(150)];
      for (const id of ids) await h.adapter.putSession(sampleSession(id, { title: id }));
      for (const id of ids) expect((await h.adapter.getSession(id))?.title).toBe(id);
      expect((await h.adapter.listSessions()).data.map((summary) => summary.id)).toEqual([...ids].sort(byUtf8));
    });

    it("lists summaries sorted by id, without events, with paging", async () => {
      const ids = ["sesn_c", "sesn_a", "sesn_é", "sesn_\uff5e", "sesn_😀", "sesn_B"];
      for (const id of ids) await h.adapter.putSession(sampleSession(id));
      const sorted = [...ids].sort(byUtf8);
      const all = await h.adapter.listSessions();
      expect(all.data.map((summary) => summary.id)).toEqual(sorted);
      expect(all.next_cursor).toBeNull();
      for (const summary of all.data) {
        expect(summary).toEqual({
          id: summary.id,
          title: `Session ${summary.id}`,
          created_at: "2026-03-01T09:30:00Z",
          event_count: 5,
        });
      }
      const first = await h.adapter.listSessions({ limit: 4 });
      expect(first.data.map((summary) => summary.id)).toEqual(sorted.slice(0, 4));
      const second = await h.adapter.listSessions({ limit: 4, after: first.next_cursor ?? undefined });
      expect(second.data.map((summary) => summary.id)).toEqual(sorted.slice(4));
      expect(second.next_cursor).toBeNull();
    });

    it("deletes a session, and refuses a missing one with session_not_found", async () => {
      await h.adapter.putSession(sampleSession("sesn_del"));
      await h.adapter.putSession(sampleSession("sesn_stay"));
      await h.adapter.deleteSession("sesn_del");
      expect(await h.adapter.getSession("sesn_del")).toBeNull();
      await expectCode(h.adapter.deleteSession("sesn_del"), "session_not_found");
      expect((await h.adapter.listSessions()).data.map((summary) => summary.id)).toEqual(["sesn_stay"]);
    });

    it("returns copies: changing a returned session changes nothing stored", async () => {
      const stored = await h.adapter.putSession(sampleSession("sesn_copy"));
      stored.events.length = 0;
      const read = await h.adapter.getSession("sesn_copy");
      expect(read?.events).toHaveLength(5);
      if (read) read.title = "changed";
      expect((await h.adapter.getSession("sesn_copy"))?.title).toBe("Session sesn_copy");
    });
  });
}
