import {
  createInMemoryAdapter,
  NocturneError,
  type SessionEvent,
  type SessionPart,
  type SessionPartsDriver,
  type StorageAdapter,
  sessionWriterFor,
  storageRules,
} from "@nocturne/core";
import { describe, expect, it } from "vitest";

const header = { id: "sesn_rules", title: null, created_at: "2026-03-01T09:30:00Z" };

function events(count: number, text = "x", prefix = "e"): SessionEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    type: "user.message" as const,
    processed_at: "2026-03-01T09:30:00Z",
    content: [{ type: "text", text }],
  }));
}

/** A driver that records what it is asked to do, failing where told. */
function recordingDriver(fail: { stage?: number; commit?: boolean } = {}) {
  const calls: string[] = [];
  const parts: SessionPart[] = [];
  const driver: SessionPartsDriver = {
    async stage(part) {
      calls.push(`stage ${part.index}`);
      if (part.index === fail.stage) throw new NocturneError("storage_full", "disk full");
      parts.push(part);
    },
    async commit(_header, count) {
      calls.push(`commit ${count}`);
      if (fail.commit) throw new NocturneError("storage_error", "commit failed");
    },
    async abort() {
      calls.push("abort");
    },
  };
  return { driver, calls, parts };
}

describe("storageRules.sessionWriter", () => {
  it("gathers events into parts of at most 1,000 events or about 1 MiB of JSON, in order", async () => {
    const { driver, parts } = recordingDriver();
    const writer = storageRules.sessionWriter(driver);
    for (let i = 0; i < 25; i++) await writer.append(events(100, "x", `a${i}-`));
    await writer.append(events(3, "y".repeat(600_000), "big"));
    expect(await writer.commit(header)).toEqual({ ...header, event_count: 2_503 });
    expect(parts.map((part) => part.events.length)).toEqual([1_000, 1_000, 502, 1]);
    expect(parts.map((part) => part.index)).toEqual([0, 1, 2, 3]);
    for (const part of parts) expect(JSON.parse(part.json)).toEqual(part.events);
  });

  it("aborts the driver once when staging fails, and never after a commit", async () => {
    const failing = recordingDriver({ stage: 1 });
    const writer = storageRules.sessionWriter(failing.driver);
    await expect(writer.append(events(2_500))).rejects.toMatchObject({ code: "storage_full" });
    await writer.abort();
    await expect(writer.commit(header)).rejects.toMatchObject({ code: "invalid_input" });
    expect(failing.calls).toEqual(["stage 0", "stage 1", "abort"]);

    const fine = recordingDriver();
    const done = storageRules.sessionWriter(fine.driver);
    await done.append(events(1));
    await done.commit(header);
    await done.abort();
    expect(fine.calls).toEqual(["stage 0", "commit 1"]);
  });

  it("aborts the driver when its commit fails, and stays ended", async () => {
    const { driver, calls } = recordingDriver({ commit: true });
    const writer = storageRules.sessionWriter(driver);
    await writer.append(events(1));
    await expect(writer.commit(header)).rejects.toMatchObject({ code: "storage_error" });
    await expect(writer.append(events(1, "x", "z"))).rejects.toMatchObject({ code: "invalid_input" });
    expect(calls).toEqual(["stage 0", "commit 1", "abort"]);
  });

  it("keeps itself in the `open` set until it ends", async () => {
    const open = new Set<unknown>();
    const writer = storageRules.sessionWriter(recordingDriver().driver, { open: open as Set<never> });
    expect(open.size).toBe(1);
    await writer.abort();
    expect(open.size).toBe(0);
  });
});

describe("sessionWriterFor", () => {
  it("falls back to buffering and one putSession on an adapter without openSessionWriter", async () => {
    const memory = createInMemoryAdapter();
    const puts: number[] = [];
    const legacy = new Proxy(memory, {
      get(target, key) {
        if (key === "openSessionWriter") return undefined;
        if (key === "putSession") {
          return (session: Parameters<StorageAdapter["putSession"]>[0]) => {
            puts.push(session.events.length);
            return target.putSession(session);
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as StorageAdapter;
    const writer = await sessionWriterFor(legacy);
    await writer.append(events(1_500));
    expect(puts).toEqual([]);
    await writer.commit(header);
    expect(puts).toEqual([1_500]);
    expect((await memory.getSession("sesn_rules"))?.events).toEqual(events(1_500));
  });
});
