import { createOfflineConsolidationModel, type ExtractedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, memory, userChunk } from "./support.js";

const model = createOfflineConsolidationModel();

function shape(fact: ExtractedFact) {
  return { key: fact.key, value: fact.value, cardinality: fact.cardinality, polarity: fact.polarity };
}

async function fromUser(text: string) {
  const declined: Array<{ reason: string; text: string }> = [];
  const context = { ...callContext(), decline: (entry: { reason: string; text: string }) => declined.push(entry) };
  const facts = await model.extract({ type: "transcript", chunk: userChunk("sesn_s", [text]) }, context);
  return { facts, declined };
}

describe("offline model: the shape of a fact (key, value, cardinality, polarity)", () => {
  it("reads an update said in passing, with its value, as the single current value", async () => {
    const { facts } = await fromUser("Quick context before we start: I moved to Porto, so can you update the address?");
    expect(facts.map(shape)).toEqual([
      { key: "home.location", value: "Porto", cardinality: "single", polarity: undefined },
    ]);
    expect(facts[0]?.evidence[0]?.quote).toBe("I moved to Porto");
  });

  it("reads a retraction as negative, and a new hobby as a set member that replaces nothing", async () => {
    expect((await fromUser("I don't play chess any more.")).facts.map(shape)).toEqual([
      { key: "user.hobby", value: "chess", cardinality: undefined, polarity: "negative" },
    ]);
    expect((await fromUser("We dropped Jest.")).facts.map(shape)).toEqual([
      { key: "tooling.test_framework", value: "Jest", cardinality: "single", polarity: "negative" },
    ]);
    expect((await fromUser("I also picked up bouldering this year.")).facts.map(shape)).toEqual([
      { key: "user.hobby", value: "bouldering", cardinality: undefined, polarity: undefined },
    ]);
  });

  it("names distinct entities in the key, never the value", async () => {
    expect((await fromUser("Server alpha-1's IP is 10.0.4.12.")).facts.map(shape)).toEqual([
      { key: "server.alpha-1.ip_address", value: "10.0.4.12", cardinality: "single", polarity: undefined },
    ]);
    expect((await fromUser("So yeah, we migrated the atlas API to Postgres 16.")).facts.map(shape)).toEqual([
      { key: "project.atlas.database", value: "Postgres 16", cardinality: "single", polarity: undefined },
    ]);
  });

  it("splits a compound statement into one fact per clause, each citing its own quote", async () => {
    const { facts } = await fromUser("I live in Lisbon and I work at Fernhill.");
    expect(facts.map((fact) => [fact.key, fact.value, fact.evidence[0]?.quote])).toEqual([
      ["home.location", "Lisbon", "I live in Lisbon"],
      ["profile.employer", "Fernhill", "I work at Fernhill."],
    ]);
  });

  it("declines what it reads but does not store, by reason", async () => {
    const cases: Array<[string, string]> = [
      ["Should I move to Lisbon?", "question"],
      ["If I moved to Berlin, I'd need a new job.", "hypothetical"],
      ['My boss said "we use Jira for everything".', "quoted_speech"],
      ["Oh great, I just love when the build breaks on a Friday.", "sarcasm"],
      ["Thanks for asking!", "pleasantry"],
      ["Ich wohne in Berlin.", "non_english"],
      ["My sister just moved to Berlin.", "third_party"],
      ["I changed jobs.", "unrecognised"],
    ];
    for (const [text, reason] of cases) {
      const { facts, declined } = await fromUser(text);
      expect(facts, text).toEqual([]);
      expect(
        declined.map((entry) => entry.reason),
        text,
      ).toEqual([reason]);
    }
  });

  it("never cuts a word: 'Remembering to say thanks' is no 'remember' marker", async () => {
    expect((await fromUser("Remembering to say thanks: thank you!")).facts).toEqual([]);
  });
});

describe("offline model: memory lines get the same shape", () => {
  it("keys, values and retractions of memory lines match what the user would have said", async () => {
    const facts = await model.extract(
      {
        type: "memories",
        memories: [
          memory(
            "mem_s",
            "/profile.md",
            "- User lives in Porto.\n- The team no longer uses Redux.\n- Tests run with Jest; integration tests need docker compose.\n",
          ),
        ],
      },
      callContext(),
    );
    expect(
      facts.map((fact) => [fact.key, fact.value, fact.cardinality, fact.polarity, fact.evidence[0]?.quote]),
    ).toEqual([
      ["home.location", "Porto", "single", undefined, "- User lives in Porto."],
      ["team.tools", "Redux", undefined, "negative", "- The team no longer uses Redux."],
      ["tooling.test_framework", "Jest", "single", undefined, "Tests run with Jest"],
      [expect.any(String), undefined, undefined, undefined, "integration tests need docker compose."],
    ]);
  });
});
