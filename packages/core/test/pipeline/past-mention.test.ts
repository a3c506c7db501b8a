import { mentionsAsPast } from "@nocturne/core/internals";
import { describe, expect, it } from "vitest";

describe("mentionsAsPast", () => {
  it.each([
    ["Atlas used to run in us-east-1 a while back.", "us-east-1"],
    ["Back when Atlas was on Postgres 14 the backups were slow.", "Postgres 14"],
    ["We moved away from Jest last spring.", "Jest"],
    ["I moved from Berlin to Lisbon.", "Berlin"],
    ["We replaced Jest with Vitest.", "Jest"],
    ["The Travis pipelines were retired.", "Travis"],
    ["Sam handed the project over some time ago.", "Sam"],
    ["Use pnpm instead of npm.", "npm"],
  ])("puts the value of %j in the past (%s)", (quote, value) => {
    expect(mentionsAsPast(quote, value)).toBe(true);
  });

  it.each([
    ["I moved from Berlin to Lisbon.", "Lisbon"],
    ["We replaced Jest with Vitest.", "Vitest"],
    ["Atlas now runs in eu-west-3; it used to run in us-east-1.", "eu-west-3"],
    ["I moved to Lisbon last year.", "Lisbon"],
    ["As of today the database is Postgres 16.", "Postgres 16"],
    ["Use pnpm instead of npm.", "pnpm"],
    ["Tests run with Vitest.", "Vitest"],
  ])("keeps the value of %j current (%s)", (quote, value) => {
    expect(mentionsAsPast(quote, value)).toBe(false);
  });
});
