import { createOfflineConsolidationModel, type ExtractedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, memory, userChunk } from "./support.js";

const model = createOfflineConsolidationModel();

async function fromUser(text: string): Promise<ExtractedFact[]> {
  return model.extract({ type: "transcript", chunk: userChunk("sesn_k", [text]) }, callContext());
}

async function fromMemoryLine(path: string, text: string): Promise<ExtractedFact[]> {
  return model.extract(
    { type: "memories", memories: [memory("mem_k", path, `# Notes\n\n- ${text}\n`)] },
    callContext(),
  );
}

async function keyOfUser(text: string): Promise<string> {
  const facts = await fromUser(text);
  expect(facts, text).toHaveLength(1);
  return facts[0]?.key ?? "";
}

async function keyOfMemory(text: string): Promise<string> {
  const facts = await fromMemoryLine("/notes.md", text);
  expect(facts, text).toHaveLength(1);
  return facts[0]?.key ?? "";
}

/** An earlier statement and a later one about the same subject with another value: they must share a key. */
const LATER_SUPERSEDES: Array<[string, string, string]> = [
  ["I live in Berlin.", "I moved to Lisbon.", "home.location"],
  ["We use npm.", "We switched to pnpm.", "tooling.package_manager"],
  ["We use npm.", "From now on use pnpm instead of npm.", "tooling.package_manager"],
  ["I prefer tabs for indentation.", "From now on use 2 spaces for indentation.", "style.indentation"],
  ["We use Jest with ts-jest.", "We switched to Vitest from Jest.", "tooling.test_framework"],
  ["My editor is VS Code.", "I switched from VS Code to Neovim.", "tooling.editor"],
  ["My timezone is Europe/Lisbon.", "My timezone is Europe/Berlin now.", "profile.timezone"],
  ["Always squash commits.", "Never squash commits.", "squash_commit"],
  [
    "Remember that the staging DB runs on port 5432.",
    "Note that the staging DB runs on port 5433.",
    "project.staging.database.port",
  ],
  // The team's tools are a set: the retraction names the attribute (`team.tools`) and carries Redux as its value.
  ["We use Redux.", "We no longer use Redux.", "team.tools"],
  ["Keep your answers short.", "Going forward, keep your answers detailed.", "communication.verbosity"],
  ["Reply in English.", "From now on, reply in German.", "communication.language"],
  ["My name is Sam.", "Call me Samantha.", "profile.name"],
];

/** Two statements about different subjects that look alike: they must not share a key. */
const DIFFERENT_SUBJECTS: Array<[string, string]> = [
  ["Always run the tests before pushing.", "Always run the linter before pushing."],
  ["We use pnpm.", "We use Vitest."],
  ["My sister's name is Ana.", "My name is Sam."],
  ["Remember that the staging DB is read-only.", "Remember that the staging DB runs on port 5433."],
  ["Never deploy on Fridays.", "Always deploy from the release branch."],
  ["Remember that I like TypeScript strict mode turned on everywhere.", "We write services in TypeScript."],
];

describe("offline model: keys so the latest statement supersedes", () => {
  it.each(LATER_SUPERSEDES)("%j then %j share %s", async (earlier, later, key) => {
    expect(await keyOfUser(earlier)).toBe(key);
    expect(await keyOfUser(later)).toBe(key);
  });

  it.each(DIFFERENT_SUBJECTS)("%j and %j keep apart", async (left, right) => {
    expect(await keyOfUser(left)).not.toBe(await keyOfUser(right));
  });

  it("keys an existing memory line by the same rules as the user's statement on that subject", async () => {
    const pairs: Array<[string, string]> = [
      ["Priya prefers tabs for indentation in TypeScript files.", "From now on use 2 spaces for indentation."],
      ["Use npm to install packages in ledger-api.", "We switched to pnpm last week."],
      ["Priya lives in Lisbon, Portugal.", "Heads up: I moved to Berlin last weekend."],
      ["Her timezone is Europe/Lisbon (WET).", "My timezone is Europe/Berlin now."],
      ["Her editor is VS Code with the Vim keybindings extension.", "My editor is Neovim now."],
      ["The database is PostgreSQL 14 on RDS.", "We switched to PostgreSQL 16 this week."],
      ["Tests run with Jest (`npm test`).", "We switched to Vitest from Jest."],
      ["Always run the linter before committing.", "Always run the linter before you commit anything, by the way."],
      [
        "Money amounts are stored as integer cents, never as floats.",
        "Remember that money amounts are always integer cents — never floats.",
      ],
      ["Keep answers short and skip the long preamble.", "Keep replies brief."],
      ["Priya prefers small, focused pull requests over big ones.", "Remember that I prefer small focused PRs."],
      ["Priya is a backend engineer on the payments team.", "I'm a staff engineer on the platform team."],
    ];
    for (const [line, said] of pairs) {
      expect(await keyOfMemory(line), `${line} / ${said}`).toBe(await keyOfUser(said));
    }
  });

  it("reads its own statements back with the same key and kind (a dream's output is the next dream's input)", async () => {
    const said = [
      "I prefer tabs over spaces.",
      "From now on, always use pnpm.",
      "I moved to Lisbon last month.",
      "We migrated from MySQL to Postgres last year.",
      "Please note that the staging DB runs on port 5433.",
      "Don't ever force-push to main.",
      "My GitHub username is samdev.",
      "remember to run migrations before deploying",
      "I hate long meetings.",
      "We use BullMQ for the webhook retry queue now.",
      "Keep your answers short.",
      "Call me Sam.",
      "I'm a senior frontend developer at Acme.",
      "I always use 4 spaces in Python.",
      "Remember that ledger-api releases are tagged vX.Y.Z and deployed on Tuesdays only.",
    ];
    for (const text of said) {
      const [fact] = await fromUser(text);
      expect(fact, text).toBeDefined();
      const [reread] = await fromMemoryLine("/notes.md", fact?.statement ?? "");
      expect({ key: reread?.key, kind: reread?.kind }, text).toEqual({ key: fact?.key, kind: fact?.kind });
    }
  });
});
