import { NocturneError } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { createPacer, finish, type Steps } from "../../src/util/pacer.js";

/** Steps that spin until `stop()` says so (or a safety cap of steps, so a broken pacer fails instead of hanging). */
function* spinUntil(stop: () => boolean): Steps<{ stopped: boolean; steps: number }> {
  let steps = 0;
  while (!stop() && steps < 50_000_000) {
    steps++;
    yield;
  }
  return { stopped: stop(), steps };
}

describe("the pacer", () => {
  it("runs steps to the same result as running them at once", async () => {
    function* squares(count: number): Steps<number[]> {
      const out: number[] = [];
      for (let index = 0; index < count; index++) {
        out.push(index * index);
        yield;
      }
      return out;
    }
    expect(await createPacer().run(squares(10_000))).toEqual(finish(squares(10_000)));
  });

  it("gives the event loop turns during long work: a callback scheduled before it runs while it runs", async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    const result = await createPacer().run(spinUntil(() => ran));
    expect(result.stopped).toBe(true);
  });

  it("counts steps across runs: many short runs on one pacer still give the event loop turns", async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    const pacer = createPacer();
    function* oneStep(): Steps<void> {
      const started = performance.now();
      while (performance.now() - started < 0.05) {}
      yield;
    }
    let runs = 0;
    while (!ran && runs < 100_000) {
      await pacer.run(oneStep());
      runs++;
    }
    expect(ran).toBe(true);
  });

  it("stops with the typed aborted error once the signal fires, from a callback that runs during the work", async () => {
    const controller = new AbortController();
    let abortedDuringWork = false;
    let finished = false;
    setImmediate(() => {
      abortedDuringWork = !finished;
      controller.abort();
    });
    const run = createPacer(controller.signal)
      .run(spinUntil(() => false))
      .finally(() => {
        finished = true;
      });
    await expect(run).rejects.toSatisfy((error) => NocturneError.isInstance(error, "aborted"));
    expect(abortedDuringWork).toBe(true);
  });

  it("pace() throws at once when the signal already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const pacer = createPacer(controller.signal);
    expect(pacer.due()).toBe(true);
    await expect(pacer.pace()).rejects.toSatisfy((error) => NocturneError.isInstance(error, "aborted"));
  });

  it("resumes work waiting side by side one slice per turn, each in its turn", async () => {
    const steps = [0, 0, 0, 0];
    let done = false;
    const pacer = createPacer();
    const worker = async (index: number) => {
      while (!done) {
        const started = performance.now();
        while (performance.now() - started < 0.2) {}
        steps[index] = (steps[index] ?? 0) + 1;
        await pacer.pace();
      }
    };
    const workers = steps.map((_, index) => worker(index));
    const movedPerTurn: number[] = [];
    let last = [...steps];
    for (let turn = 0; turn < 40; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      movedPerTurn.push(steps.filter((count, index) => count !== last[index]).length);
      last = [...steps];
    }
    done = true;
    await Promise.all(workers);
    expect(Math.max(...movedPerTurn.slice(1))).toBe(1);
    expect(steps.every((count) => count > 1)).toBe(true);
  });

  it("lets work whose signal fires leave the line of waiters at once", async () => {
    let done = false;
    const busy = createPacer();
    const spin = async () => {
      while (!done) {
        const started = performance.now();
        while (performance.now() - started < 1) {}
        await busy.turn();
      }
    };
    const spinners = Array.from({ length: 50 }, spin);
    const controller = new AbortController();
    const waiting = createPacer(controller.signal).turn();
    let turnsUntilSettled = 0;
    const settled = waiting.catch((error: unknown) => error);
    controller.abort();
    let result: unknown;
    for (;;) {
      const raced = await Promise.race([
        settled,
        new Promise<"pending">((resolve) => setImmediate(() => resolve("pending"))),
      ]);
      if (raced !== "pending") {
        result = raced;
        break;
      }
      turnsUntilSettled++;
    }
    done = true;
    await Promise.all(spinners);
    expect(NocturneError.isInstance(result, "aborted")).toBe(true);
    expect(turnsUntilSettled).toBeLessThanOrEqual(1);
  });
});
