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
});
