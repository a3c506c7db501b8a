import {
  bufferedSessionWriter,
  type Session,
  type SessionEvent,
  type SessionWriter,
  type StorageAdapter,
  sessionWriterFor,
} from "@nocturne/core";
import type { AdapterConformanceOptions, Harness } from "./harness.js";
import { expectCode, sampleSession } from "./helpers.js";
import { itIf } from "./runner.js";

/** More events than one part holds, so a session spans several parts. */
const MANY = 2_500;

/** `count` small events of mixed kinds, with text that JSON and line-based files must keep intact. */
export function manyEvents(count: number, prefix = "evt"): SessionEvent[] {
  return Array.from({ length: count }, (_, i): SessionEvent => {
    const processed_at = new Date(Date.UTC(2026, 2, 1, 9, 30, 0, i)).toISOString();
    if (i % 3 === 2) {
      return { id: `${prefix}_${i}`, type: "agent.tool_use", processed_at, name: "run", input: { n: i, deep: [i] } };
    }
    const text = i % 3 === 0 ? `line ${i}\nsecond\u2028line "quoted" ✓ 😀` : `reply ${i}`;
    return {
      id: `${prefix}_${i}`,
      type: i % 3 === 0 ? "user.message" : "agent.message",
      processed_at,
      content: [{ type: "text", text }],
    };
  });
}

/** A session of `count` events, as `putSession` would store it. */
function bigSession(id: string, count = MANY, prefix = "evt"): Session {
  return { ...sampleSession(id), events: manyEvents(count, prefix) };
}

/** Appends a session's events in uneven batches (one event, then most of a part, then the rest in large steps). */
async function appendAll(writer: SessionWriter, events: SessionEvent[]): Promise<void> {
  const cuts = [0, 1, 900, 2_100, events.length].filter(
    (cut, i, all) => cut <= events.length && all.indexOf(cut) === i,
  );
  for (let i = 0; i + 1 < cuts.length; i++) await writer.append(events.slice(cuts[i], cuts[i + 1]));
}

/** Writes a session in parts through `open` and returns the summary `commit` gave. */
async function writeInParts(open: () => Promise<SessionWriter>, session: Session) {
  const writer = await open();
  await appendAll(writer, session.events);
  const { events: _events, ...header } = session;
  return writer.commit(header);
}

const headerOf = ({ events: _events, ...header }: Session) => header;

/**
 * Sessions written in parts (`sessionWriterFor`: the adapter's `openSessionWriter`, or core's buffering fallback
 * for adapters without it), and the fallback itself over the adapter's `putSession`: read back equal to the same
 * session put whole, invisible until commit, and nothing left visible after an abort or a failure midway.
 */
export function sessionWriterTests(h: Harness, options: AdapterConformanceOptions): void {
  const { describe, expect, it } = h.runner;
  const variants: Array<[string, (adapter: StorageAdapter) => Promise<SessionWriter>]> = [
    ["sessionWriterFor", sessionWriterFor],
    ["the buffering fallback", async (adapter) => bufferedSessionWriter(adapter)],
  ];
  for (const [label, openOn] of variants) {
    describe(`sessions written in parts (${label})`, () => {
      const open = () => openOn(h.adapter);

      it("reads back equal to the same session put whole, fields in the schema's order", async () => {
        const session = bigSession("sesn_parts");
        const summary = await writeInParts(open, session);
        expect(summary).toEqual({
          id: "sesn_parts",
          title: session.title,
          created_at: session.created_at,
          event_count: MANY,
        });
        const read = await h.adapter.getSession("sesn_parts");
        expect(read).toEqual(session);
        expect(Object.keys(read ?? {})).toEqual(["id", "title", "created_at", "metadata", "events"]);
        await h.adapter.putSession({ ...session, id: "sesn_whole" });
        expect(JSON.stringify(await h.adapter.getSession("sesn_whole"))).toBe(
          JSON.stringify({ ...read, id: "sesn_whole" }),
        );
        expect((await h.adapter.listSessions()).data).toEqual([summary, { ...summary, id: "sesn_whole" }]);
      });

      it("shows nothing before commit and keeps the session it replaces until then, then replaces it whole", async () => {
        const old = bigSession("sesn_swap", MANY, "old");
        await h.adapter.putSession(old);
        const writer = await open();
        const next = bigSession("sesn_swap", 1_200, "new");
        await appendAll(writer, next.events);
        expect(await h.adapter.getSession("sesn_swap")).toEqual(old);
        expect((await h.adapter.listSessions()).data.map((summary) => summary.event_count)).toEqual([MANY]);
        await writer.commit({ ...headerOf(next), title: "new" });
        expect(await h.adapter.getSession("sesn_swap")).toEqual({ ...next, title: "new" });
        expect((await h.adapter.listSessions()).data.map((summary) => summary.event_count)).toEqual([1_200]);
      });

      it("leaves nothing after abort, and refuses calls once ended", async () => {
        const writer = await open();
        await appendAll(writer, manyEvents(1_500));
        await writer.abort();
        await writer.abort();
        expect(await h.adapter.getSession("sesn_aborted")).toBeNull();
        await expectCode(writer.append(manyEvents(1)), "invalid_input");
        await expectCode(writer.commit(headerOf(sampleSession("sesn_aborted"))), "invalid_input");
        expect((await h.adapter.listSessions()).data).toEqual([]);
        const done = await open();
        await done.append(manyEvents(2));
        await done.commit(headerOf(sampleSession("sesn_done")));
        await done.abort();
        await expectCode(done.append(manyEvents(1, "more")), "invalid_input");
        expect((await h.adapter.getSession("sesn_done"))?.events).toHaveLength(2);
      });

      it("a bad event midway rejects with invalid_input, aborts, and leaves the old session as it was", async () => {
        const old = sampleSession("sesn_midway");
        await h.adapter.putSession(old);
        const writer = await open();
        await writer.append(manyEvents(1_500, "new"));
        const bad = {
          id: "bad",
          type: "user.message",
          processed_at: "yesterday",
          content: [],
        } as unknown as SessionEvent;
        await expectCode(writer.append([...manyEvents(3, "more"), bad]), "invalid_input");
        await expectCode(writer.commit(headerOf(old)), "invalid_input");
        expect(await h.adapter.getSession("sesn_midway")).toEqual(old);
      });

      it("refuses an event id seen in an earlier batch", async () => {
        const writer = await open();
        await writer.append(manyEvents(1_200));
        await expectCode(writer.append(manyEvents(1)), "invalid_input");
        await expectCode(writer.commit(headerOf(sampleSession("sesn_dup"))), "invalid_input");
        expect(await h.adapter.getSession("sesn_dup")).toBeNull();
      });

      it("refuses a bad header at commit and leaves nothing", async () => {
        const writer = await open();
        await writer.append(manyEvents(1_200));
        await expectCode(
          writer.commit({ ...headerOf(sampleSession("sesn_hdr")), created_at: "yesterday" }),
          "invalid_input",
        );
        expect(await h.adapter.getSession("sesn_hdr")).toBeNull();
        expect((await h.adapter.listSessions()).data).toEqual([]);
      });

      it("writes an empty session, and one replaced by putSession or deleted like any other", async () => {
        const writer = await open();
        expect(await writer.commit(headerOf(sampleSession("sesn_empty")))).toMatchObject({ event_count: 0 });
        expect((await h.adapter.getSession("sesn_empty"))?.events).toEqual([]);
        await writeInParts(open, bigSession("sesn_cycle"));
        const small = sampleSession("sesn_cycle");
        await h.adapter.putSession(small);
        expect(await h.adapter.getSession("sesn_cycle")).toEqual(small);
        await writeInParts(open, bigSession("sesn_cycle", 1_100));
        expect((await h.adapter.getSession("sesn_cycle"))?.events).toHaveLength(1_100);
        await h.adapter.deleteSession("sesn_cycle");
        expect(await h.adapter.getSession("sesn_cycle")).toBeNull();
        expect((await h.adapter.listSessions()).data.map((summary) => summary.id)).toEqual(["sesn_empty"]);
      });

      it("keeps writers open at once apart; for one id the last commit wins, whole", async () => {
        const [a, b, c] = await Promise.all([open(), open(), open()]);
        const first = bigSession("sesn_a", 1_300, "a");
        const second = bigSession("sesn_b", 1_100, "b");
        const third = bigSession("sesn_a", 1_050, "c");
        for (const [writer, session] of [
          [a, first],
          [b, second],
          [c, third],
        ] as const) {
          await writer.append(session.events.slice(0, 1_000));
        }
        for (const [writer, session] of [
          [c, third],
          [b, second],
          [a, first],
        ] as const) {
          await writer.append(session.events.slice(1_000));
        }
        await c.commit(headerOf(third));
        await b.commit(headerOf(second));
        expect(await h.adapter.getSession("sesn_a")).toEqual(third);
        await a.commit(headerOf(first));
        expect(await h.adapter.getSession("sesn_a")).toEqual(first);
        expect(await h.adapter.getSession("sesn_b")).toEqual(second);
      });

      itIf(h.runner, options.persistent === true, "keeps a session written in parts across a reopen", async () => {
        const session = bigSession("sesn_kept_parts");
        await writeInParts(open, session);
        await h.close(h.adapter);
        expect(await (await h.reopen()).getSession("sesn_kept_parts")).toEqual(session);
      });

      itIf(
        h.runner,
        options.multiProcess === true,
        "shows another adapter nothing before commit, then the whole session",
        async () => {
          const other = await h.reopen();
          const session = bigSession("sesn_shared_parts");
          const writer = await open();
          await appendAll(writer, session.events);
          expect(await other.getSession("sesn_shared_parts")).toBeNull();
          expect((await other.listSessions()).data).toEqual([]);
          await writer.commit(headerOf(session));
          expect(await other.getSession("sesn_shared_parts")).toEqual(session);
        },
      );
    });
  }
}
