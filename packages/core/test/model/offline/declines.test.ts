import { createOfflineConsolidationModel } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, userChunk } from "./support.js";

const model = createOfflineConsolidationModel();

async function read(text: string) {
  const declined: Array<{ reason: string; text: string }> = [];
  const facts = await model.extract(
    { type: "transcript", chunk: userChunk("sesn_d", [text]) },
    { ...callContext(), decline: (entry) => declined.push(entry) },
  );
  return { facts, reasons: declined.map((entry) => entry.reason) };
}

/** First-person sentences that state no lasting fact, and the reason the report gives. */
const DECLINED: Array<[string, string]> = [
  ["We use Postgres, I think.", "uncertain"],
  ["I'm pretty sure the API runs on Node 20.", "uncertain"],
  ["I lived in Paris for two years.", "past"],
  ["I was a teacher before this.", "past"],
  ["I had a dog growing up.", "past"],
  ["We used Jest.", "past"],
  ["The atlas API ran on Postgres 14.", "past"],
  ["My name was Tomasz.", "past"],
  ["I'm working from home today.", "momentary"],
  ["I'm using Vim for now.", "momentary"],
  ["I love working with you.", "momentary"],
  ["I hate Mondays like this one.", "momentary"],
  ["I love the new logo.", "momentary"],
  ["My day has been a disaster.", "momentary"],
  ["I prefer Firefox.", "unrecognised"],
  ["I like getting up at dawn badly.", "unrecognised"],
  ["Our dog is called Biscuit.", "third_party"],
  ["My company uses Slack.", "third_party"],
  // The precision pass on dev7: decline when the key or the value would be a guess, or the time is not now.
  ["I moved to Berlin when I was five.", "past"],
  ["I switched to Vim as a student.", "past"],
  ["I moved to London for a year.", "momentary"],
  ["I work at home on Fridays.", "unrecognised"],
  ["I play a lot of Zelda.", "unrecognised"],
  ["I'm a fan of the idea.", "unrecognised"],
  ["I use Arch, btw.", "unrecognised"],
  ["Update: I'm at Datadog now.", "unrecognised"],
  ["I'm a developer, or at least I try to be.", "uncertain"],
  ["My friend texted: I just adopted a cat!", "quoted_speech"],
  ["I love waiting 20 minutes for CI, best part of my day.", "sarcasm"],
  ["I quit Slack for the day.", "momentary"],
  ["I left the meeting early.", "unrecognised"],
  ["I quit my job.", "unrecognised"],
  ["I hate having to log in twice.", "unrecognised"],
  ["I live in VS Code all day.", "unrecognised"],
  ["I never moved to Lisbon.", "unrecognised"],
  ["We didn't switch to Bun after all.", "unrecognised"],
  ["Our PM uses Notion.", "third_party"],
  ["I love my wife.", "unrecognised"],
  ["I love my kids more than anything.", "unrecognised"],
  ["I like Sarah's idea.", "unrecognised"],
  ["I hate YAML with a passion.", "unrecognised"],
  ["I'm a former teacher.", "unrecognised"],
  ["I'm an aspiring writer.", "unrecognised"],
  ["I'm a teacher, sort of.", "uncertain"],
  ["I live in Paris jk", "sarcasm"],
  ["I switched to Vim last year but went back to VS Code.", "past"],
  ["I moved to Berlin in 2018 and then to Munich in 2021.", "past"],
  ["My Vim config is a mess.", "momentary"],
  ["Our customers use Safari mostly.", "third_party"],
  ["I start at Google next week.", "hypothetical"],
  // The dev8 pass: a closing eye-roll or upside-down face makes the whole line sarcasm.
  ["Great, another meeting. I love meetings. 🙃", "sarcasm"],
  // …and a memory marker does not make someone else's fact the user's.
  ["Remember that my sister lives in Oslo.", "third_party"],
  ["FYI my boss uses Emacs.", "third_party"],
  ["I got into trouble yesterday.", "unrecognised"],
  // …and a feeling about one's own thing, an activity preferred or a list given to one attribute is no taste or value.
  ["I love my job.", "unrecognised"],
  ["I prefer working mornings.", "unrecognised"],
  ["Our stack is Django and Postgres.", "unrecognised"],
  ["I went to Rome.", "past"],
  ["I'm going by train.", "unrecognised"],
];

describe("offline model: what it declines to store, precision first", () => {
  it.each(DECLINED)("%j gives nothing (%s)", async (text, reason) => {
    const { facts, reasons } = await read(text);
    expect(facts).toEqual([]);
    expect(reasons).toContain(reason);
  });

  it("still reads a change told in the past, and a state that holds now", async () => {
    const facts = [
      ...(await read("I moved to Porto two years ago.")).facts,
      ...(await read("I've lived in Berlin since 2019.")).facts,
      ...(await read("I was born in Accra.")).facts,
      ...(await read("I started at Stripe last week.")).facts,
    ];
    expect(facts.map((fact) => [fact.key, fact.value])).toEqual([
      ["home.location", "Porto"],
      ["home.location", "Berlin"],
      ["user.birthplace", "Accra"],
      ["profile.employer", "Stripe"],
    ]);
  });

  it("reads no rule from an always/never that names no action to take", async () => {
    const tabs = await read("I really prefer tabs over spaces, always have.");
    const leeds = await read("i live in leeds, moved here for uni and never left");
    expect(tabs.facts.map((fact) => fact.kind)).not.toContain("procedure");
    expect(leeds.facts.map((fact) => fact.kind)).not.toContain("procedure");
    expect((await read("Never embed secrets in the repo.")).facts.map((fact) => fact.kind)).toEqual(["procedure"]);
  });

  it("keeps only the latest of two exclusive values in one sentence, declining the earlier as past", async () => {
    const { facts, reasons } = await read("I've been on Windows for years but I finally switched to Linux.");
    expect(facts.map((fact) => [fact.key, fact.value])).toEqual([["profile.os", "Linux"]]);
    expect(reasons).toEqual(["past"]);
    const both = await read("I live in Ghent and I work at Vandenberg.");
    expect(both.facts.map((fact) => fact.value)).toEqual(["Ghent", "Vandenberg"]);
  });

  it("keeps only the first phrase of a comma list with no and/or", async () => {
    const { facts } = await read("I have a dog, a beagle named Pickle.");
    expect(facts.map((fact) => fact.value)).toEqual(["dog"]);
  });

  it("makes a negated statement a retraction, never the positive fact", async () => {
    const said = ["I'm not allergic to cats.", "My editor isn't VS Code.", "I don't live in Berlin."];
    for (const text of said) {
      const { facts } = await read(text);
      expect(facts.length, text).toBe(1);
      expect(facts[0]?.polarity, text).toBe("negative");
    }
    const { facts } = await read("I'm not a fan of YAML.");
    expect(facts.map((fact) => [fact.key, fact.value, fact.polarity])).toEqual([["user.dislikes", "YAML", undefined]]);
  });

  it("does not cut a value short", async () => {
    const values = async (text: string) => (await read(text)).facts.map((fact) => fact.value);
    expect(await values("I like working late.")).toEqual(["working late"]);
    expect(await values("I hate meetings before 10.")).toEqual(["meetings before 10"]);
    expect(await values("I work at the Ministry of Health.")).toEqual(["Ministry of Health"]);
    expect(await values("I'm a data engineer at Monzo 🙂")).toEqual(["data engineer", "Monzo"]);
    expect(await values("I work for a small agency called Brightline.")).toEqual(["Brightline"]);
  });
});
