import { createOfflineConsolidationModel, type JudgePair } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext } from "./support.js";

const model = createOfflineConsolidationModel();

function pair(id: string, left: [string, string[]], right: [string, string[]]): JudgePair {
  return { id, left: { key: left[0], statements: left[1] }, right: { key: right[0], statements: right[1] } };
}

/** Pairs the pipeline could not decide, and whether they are one subject (then the latest value wins). */
const CASES: Array<[string, JudgePair, boolean]> = [
  [
    "one category, two values: the same subject",
    pair("p1", ["tabs_indentation", ["User prefers tabs for indentation."]], ["space", ["Indent with 2 spaces."]]),
    true,
  ],
  [
    "a shorter wording inside a longer one",
    pair(
      "p2",
      ["run_linter_before_commit", ["Always run the linter before committing."]],
      ["run_linter_before_commit_anything", ["Always run the linter before you commit anything, by the way."]],
    ),
    true,
  ],
  [
    "the same rule with its polarity flipped",
    pair("p3", ["a", ["Always squash commits on merge."]], ["b", ["Never squash commits on merge."]]),
    true,
  ],
  [
    "a word swapped on both sides: another subject or another value, so no",
    pair("p4", ["a", ["Always run the tests before pushing."]], ["b", ["Always run the lint before pushing."]]),
    false,
  ],
  [
    "two known categories that differ",
    pair("p5", ["x", ["The team uses pnpm."]], ["y", ["The team uses Vitest."]]),
    false,
  ],
  [
    "a transient note against a lasting fact",
    pair("p6", ["transient.ci", ["Today CI failed on the flaky test."]], ["ci", ["CI runs on every push."]]),
    false,
  ],
  [
    "a one-word overlap is not enough",
    pair("p7", ["a", ["User prefers short answers."]], ["b", ["User prefers short meetings on Mondays."]]),
    false,
  ],
  [
    "abbreviations meet their long form",
    pair(
      "p8",
      ["a", ["Priya prefers small, focused pull requests over big ones."]],
      ["b", ["User prefers small focused PRs."]],
    ),
    true,
  ],
  [
    "a known category against a statement outside it, even when its words are all inside",
    pair(
      "p10",
      [
        "tooling.test_framework",
        ["Tests run with Jest (`npm test`); integration tests need the database from docker compose."],
      ],
      ["integration_test", ["The integration tests need the docker compose db running first."]],
    ),
    false,
  ],
  [
    "the same key on both sides",
    pair("p9", ["home.location", ["User lives in Lisbon."]], ["home.location", ["User moved to Berlin."]]),
    true,
  ],
];

describe("offline model: judge", () => {
  it.each(CASES)("%s", async (_name, input, same) => {
    expect(await model.judge([input], callContext())).toEqual([{ id: input.id, same }]);
  });

  it("answers every pair of a batch, in order", async () => {
    const pairs = CASES.map(([, input]) => input);
    const verdicts = await model.judge(pairs, callContext());
    expect(verdicts).toEqual(CASES.map(([, input, same]) => ({ id: input.id, same })));
  });
});
