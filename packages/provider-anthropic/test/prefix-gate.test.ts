import { describe, expect, it } from "vitest";
import { createPrefixGate } from "../src/prefix-gate.js";

/** A call that resolves or rejects when the test says so, recording when it started. */
function deferredCall(started: string[], name: string) {
  let settle: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;
  const call = () => {
    started.push(name);
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return {
    call,
    resolve: () => settle?.resolve(name),
    reject: () => settle?.reject(new Error(`${name} failed`)),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("createPrefixGate", () => {
  it("sends the first call of a prefix alone, then the rest together; other prefixes are not held", async () => {
    const gate = createPrefixGate(60_000);
    const started: string[] = [];
    const [a1, a2, a3, b1] = ["a1", "a2", "a3", "b1"].map((name) => deferredCall(started, name));
    const results = [
      gate.run("a", a1?.call ?? (() => Promise.resolve(""))),
      gate.run("a", a2?.call ?? (() => Promise.resolve(""))),
      gate.run("a", a3?.call ?? (() => Promise.resolve(""))),
      gate.run("b", b1?.call ?? (() => Promise.resolve(""))),
    ];
    await turn();
    expect(started).toEqual(["a1", "b1"]);
    a1?.resolve();
    await turn();
    expect(started).toEqual(["a1", "b1", "a2", "a3"]);
    a2?.resolve();
    a3?.resolve();
    b1?.resolve();
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "b1"]);
  });

  it("lets the next waiting call go alone when the first fails, and forgets a prefix after its lifetime", async () => {
    let clock = 0;
    const gate = createPrefixGate(1_000, () => clock);
    const started: string[] = [];
    const [first, second, third] = ["first", "second", "third"].map((name) => deferredCall(started, name));
    const failed = gate.run("p", first?.call ?? (() => Promise.resolve("")));
    const next = gate.run("p", second?.call ?? (() => Promise.resolve("")));
    const last = gate.run("p", third?.call ?? (() => Promise.resolve("")));
    await turn();
    first?.reject();
    await expect(failed).rejects.toThrow("first failed");
    await turn();
    expect(started).toEqual(["first", "second"]);
    second?.resolve();
    await turn();
    expect(started).toEqual(["first", "second", "third"]);
    third?.resolve();
    expect([await next, await last]).toEqual(["second", "third"]);

    clock = 1_000;
    const again = ["x", "y"].map((name) => deferredCall(started, name));
    const runs = again.map((entry) => gate.run("p", entry.call));
    await turn();
    expect(started.slice(3)).toEqual(["x"]);
    for (const entry of again) {
      entry.resolve();
      await turn();
    }
    expect(await Promise.all(runs)).toEqual(["x", "y"]);
  });

  it("keeps recent prefixes warm while it forgets expired ones among many", async () => {
    let clock = 0;
    const gate = createPrefixGate(1_000, () => clock);
    for (let key = 0; key < 70; key++) await gate.run(`k${key}`, () => Promise.resolve(key));
    clock = 500;
    await gate.run("recent", () => Promise.resolve(0));
    clock = 1_200;
    await gate.run("fresh", () => Promise.resolve(0));
    const started: string[] = [];
    const together = ["recent-1", "recent-2"].map((name) => deferredCall(started, name));
    const warm = together.map((entry) => gate.run("recent", entry.call));
    const expired = ["old-1", "old-2"].map((name) => deferredCall(started, name));
    const cold = expired.map((entry) => gate.run("k0", entry.call));
    await turn();
    expect(started).toEqual(["recent-1", "recent-2", "old-1"]);
    for (const entry of [...together, ...expired]) {
      entry.resolve();
      await turn();
    }
    expect(await Promise.all([...warm, ...cold])).toEqual(["recent-1", "recent-2", "old-1", "old-2"]);
  });

  it("stops a waiting call with aborted when its signal fires", async () => {
    const gate = createPrefixGate(60_000);
    const started: string[] = [];
    const leader = deferredCall(started, "leader");
    const leading = gate.run("p", leader.call);
    const controller = new AbortController();
    const waiting = gate.run("p", () => Promise.resolve("never"), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "aborted" });
    leader.resolve();
    expect(await leading).toBe("leader");
    expect(started).toEqual(["leader"]);
  });
});
