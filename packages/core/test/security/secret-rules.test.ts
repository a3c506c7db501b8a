import { describe, expect, it } from "vitest";
import { findPrivateKeyBlocks } from "../../src/security/private-key-blocks.js";
import { redactSecrets } from "../../src/security/redact-secrets.js";
import { SECRET_RULES } from "../../src/security/secret-rules.js";
import { lookAlikes, plantedSecrets } from "./fixtures/secret-corpus.js";

/**
 * Reasons why a regular expression source could backtrack without bound: an unbounded quantifier (`*`, `+`, `{n,}`),
 * a bound above `maxBound`, or a repeated group that itself holds a quantifier (nested quantifiers). A group made
 * optional with `?` is allowed: it runs at most once.
 */
function backtrackingRisks(source: string, maxBound = 8192): string[] {
  const risks: string[] = [];
  const groups: boolean[] = [];
  let lastAtomWasGroupWithQuantifier = false;
  let previousWasQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    let isQuantifier = false;
    let closedGroupHadQuantifier = false;
    if (char === "\\") {
      i++;
    } else if (char === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (char === "(") {
      groups.push(false);
      if (source[i + 1] === "?") {
        i++;
        if (source[i + 1] === "<" && (source[i + 2] === "=" || source[i + 2] === "!")) i += 2;
        else if (source[i + 1] === "<") {
          while (source[i] !== ">") i++;
        } else i++;
      }
    } else if (char === ")") {
      closedGroupHadQuantifier = groups.pop() ?? false;
      if (closedGroupHadQuantifier && groups.length > 0) groups[groups.length - 1] = true;
    } else if (char === "*" || char === "+") {
      risks.push(`unbounded '${char}' at ${i}`);
      isQuantifier = true;
    } else if (char === "?") {
      if (!previousWasQuantifier) isQuantifier = true;
    } else if (char === "{") {
      const bound = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (bound) {
        const upper =
          bound[2] === undefined ? Number(bound[1]) : bound[3] === "" ? Number.POSITIVE_INFINITY : Number(bound[3]);
        if (upper > maxBound) risks.push(`bound ${bound[0]} at ${i}`);
        if (lastAtomWasGroupWithQuantifier && upper > 1) risks.push(`nested quantifier ${bound[0]} at ${i}`);
        i += bound[0].length - 1;
        isQuantifier = true;
      }
    }
    if (isQuantifier && groups.length > 0) groups[groups.length - 1] = true;
    previousWasQuantifier = isQuantifier;
    lastAtomWasGroupWithQuantifier = closedGroupHadQuantifier;
  }
  return risks;
}

describe("the secret pattern table", () => {
  it("has only bounded, non-nested quantifiers in every pattern (so matching is linear)", () => {
    for (const rule of SECRET_RULES) {
      expect({ kind: rule.kind, risks: backtrackingRisks(rule.pattern.source) }).toEqual({
        kind: rule.kind,
        risks: [],
      });
      expect(rule.pattern.flags).toContain("g");
      expect(rule.pattern.flags).toContain("d");
    }
  });

  it("the checker itself flags the classic catastrophic shapes", () => {
    expect(backtrackingRisks("(a+)+$")).not.toEqual([]);
    expect(backtrackingRisks("(?:[a-z]{1,9}\\s){2,50}x")).not.toEqual([]);
    expect(backtrackingRisks("[a-z]*@")).not.toEqual([]);
    expect(backtrackingRisks("x{3,}")).not.toEqual([]);
    expect(backtrackingRisks("sk-[a-z]{1,20}(?:_[a-z]{1,4})?")).toEqual([]);
  });

  it("describes every rule and uses stable, lower-case kinds", () => {
    for (const rule of SECRET_RULES) {
      expect(rule.kind).toMatch(/^[a-z0-9_]{2,40}$/);
      expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});

describe("redactSecrets on large adversarial input", () => {
  const MB = 1024 * 1024;
  const fill = (piece: string) => piece.repeat(Math.ceil(MB / piece.length)).slice(0, MB);
  const adversarial: Array<[string, string]> = [
    ["one long letter run", "a".repeat(MB)],
    ["one long base64 run", fill("Ab3+/9zQ")],
    ["repeated secret prefixes with no body", fill("sk-ant- ghp_ xoxb- AKIA glpat- eyJ. ")],
    ["repeated password= with empty values", fill("password= ")],
    ["repeated password prose with no value", fill("my password is ")],
    ["repeated scheme://user: with no @", fill("postgres://user:pass")],
    ["repeated BEGIN lines with no END", fill("-----BEGIN RSA PRIVATE KEY-----\n")],
    ["a BEGIN line then a megabyte of key body with no END", `-----BEGIN PRIVATE KEY-----\n${fill("QUJD")}`],
    ["repeated JWT headers and payloads with no signature", fill("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi ")],
    ["repeated mysql commands with no -p", fill("mysql -u root ")],
    ["repeated secret-named assignments with short values", fill("API_KEY=abc ")],
  ];

  it.each(adversarial)("%s (1 MiB) is processed and only real secrets are replaced", (name, text) => {
    const result = redactSecrets(text);
    if (name === "a BEGIN line then a megabyte of key body with no END") {
      expect(result).toEqual({ text: "[REDACTED:private_key]", redactions: 1, kinds: ["private_key"] });
    } else if (name === "repeated BEGIN lines with no END") {
      expect(result.redactions).toBe(Math.ceil(MB / 32));
      expect(result.kinds).toEqual(["private_key"]);
    } else {
      expect({ redactions: result.redactions, kinds: result.kinds, unchanged: result.text === text }).toEqual({
        redactions: 0,
        kinds: [],
        unchanged: true,
      });
    }
  });

  it("finds a secret planted at the end of a megabyte of noise", () => {
    const secret = `ghp_${"aB3dE5fG7h".repeat(4)}`.slice(0, 40);
    const result = redactSecrets(`${fill("the password field; sk-ant- ghp_ AKIA ")}\n${secret}`);
    expect(result.text.endsWith("[REDACTED:github_token]")).toBe(true);
    expect(result.redactions).toBe(1);
  });
});

describe("private key blocks", () => {
  it("stops a cut-off block at its key material, keeping the prose after it", () => {
    const text =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\nand then the tool output was cut";
    const spans = findPrivateKeyBlocks(text);
    expect(spans).toHaveLength(1);
    expect(text.slice(spans[0]?.end)).toBe("\nand then the tool output was cut");
  });

  it("does not touch public keys or certificates", () => {
    const text = "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----";
    expect(findPrivateKeyBlocks(text)).toEqual([]);
  });
});

describe("the corpus over many seeds", () => {
  const seeds = process.env.NOCTURNE_LONG === "1" ? 500 : 25;
  it(`catches every planted secret and leaves every look-alike for ${seeds} seeds`, () => {
    const tally = { planted: 0, caught: 0, statisticalPlanted: 0, statisticalCaught: 0, lookAlikes: 0, changed: 0 };
    const missed: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      for (const entry of plantedSecrets(seed)) {
        const result = redactSecrets(entry.text);
        const caught = !result.text.includes(entry.secret) && result.kinds.includes(entry.kind);
        if (entry.statistical) {
          tally.statisticalPlanted++;
          if (caught) tally.statisticalCaught++;
        } else {
          tally.planted++;
          if (caught) tally.caught++;
          else missed.push(`${seed}: ${entry.text}`);
        }
      }
      for (const text of lookAlikes(seed)) {
        tally.lookAlikes++;
        if (redactSecrets(text).redactions > 0) tally.changed++;
      }
    }
    expect(missed).toEqual([]);
    expect(tally.caught).toBe(tally.planted);
    expect(tally.changed).toBe(0);
    expect(tally.statisticalCaught / tally.statisticalPlanted).toBeGreaterThanOrEqual(0.99);
    expect(tally.planted).toBeGreaterThanOrEqual(seeds * 78);
  });
});
