import { describe, expect, it } from "vitest";
import { expandVariadic, parseCommand } from "../src/parse-options.js";

describe("argument parsing", () => {
  it("takes several values after one --sessions flag, up to the next flag", () => {
    expect(expandVariadic(["--sessions", "a", "b", "--out", "o", "--sessions", "c"], ["sessions"])).toEqual([
      "--sessions",
      "a",
      "--sessions",
      "b",
      "--out",
      "o",
      "--sessions",
      "c",
    ]);
    const { values } = parseCommand("dream", ["--sessions", "a.json", "dir/", "--json"], {
      sessions: { type: "string", multiple: true },
      json: { type: "boolean" },
    });
    expect(values).toEqual({ sessions: ["a.json", "dir/"], json: true });
  });

  it("turns malformed arguments into usage errors", () => {
    expect(() => parseCommand("dream", ["--out"], { out: { type: "string" } })).toThrow(
      expect.objectContaining({
        code: "invalid_input",
        message: expect.stringContaining("nocturne dream: Option '--out <value>' argument missing"),
      }),
    );
  });
});
