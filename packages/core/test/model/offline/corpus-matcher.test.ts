import type { ExtractedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { type ExpectedFact, matches, namesAttribute, uninflected } from "./corpus/score-corpus.js";

function fact(key: string, statement: string, value?: string): ExtractedFact {
  const made: ExtractedFact = { key, topic: "t", statement, kind: "preference", evidence: [] };
  if (value !== undefined) made.value = value;
  return made;
}

const expected = (attribute: string, value: string, words: string): ExpectedFact => ({
  attribute,
  value,
  words,
  cardinality: "multi",
  polarity: "positive",
});

describe("corpus matcher", () => {
  it("reads a key as naming an attribute whatever the plural, on both sides", () => {
    expect(namesAttribute("user.unit", "user.units")).toBe(true);
    expect(namesAttribute("user.code_reviews", "user.code_review")).toBe(true);
    expect(namesAttribute("project.atlas.database", "atlas.database")).toBe(true);
    expect(uninflected("libraries")).toBe("library");
    expect(uninflected("boxes")).toBe("box");
    expect(uninflected("class")).toBe("class");
  });

  it("still rejects another attribute or another value", () => {
    expect(namesAttribute("user.meeting", "user.meeting_time")).toBe(false);
    expect(namesAttribute("xatlas.database", "atlas.database")).toBe(false);
    expect(matches(fact("user.hobby", "User plays chess.", "chess"), expected("user.hobby", "go", "go"))).toBe(false);
  });

  it("finds the labelled words in a third-person statement", () => {
    const played = fact("user.hobby", "User plays chess.", "chess");
    expect(matches(played, expected("user.hobby", "chess", "play chess"))).toBe(true);
  });
});
