import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/security/redact-secrets.js";
import { lookAlikes, plantedSecrets } from "./fixtures/secret-corpus.js";

const corpus = plantedSecrets();

describe("redactSecrets on the planted corpus", () => {
  it("covers every kind in the pattern table with at least one planted secret", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(70);
    expect(new Set(corpus.map((entry) => entry.kind)).size).toBeGreaterThanOrEqual(35);
  });

  it.each(corpus.map((entry, index) => [`${index} ${entry.kind}`, entry] as const))(
    "%s: removes the secret and names its kind",
    (_name, entry) => {
      const result = redactSecrets(entry.text);
      expect(result.text).not.toContain(entry.secret);
      for (let i = 0; i + 12 <= entry.secret.length; i += 6) {
        expect(result.text).not.toContain(entry.secret.slice(i, i + 12));
      }
      expect(result.text).toContain(`[REDACTED:${entry.kind}]`);
      expect(result.kinds).toEqual([entry.kind]);
      expect(result.redactions).toBe(1);
    },
  );

  it("catches every planted secret in one large document, with nothing else changed", () => {
    const separator = "\n--- next note ---\n";
    const document = corpus.map((entry) => entry.text).join(separator);
    const result = redactSecrets(document);
    const caught = corpus.filter((entry) => !result.text.includes(entry.secret)).length;
    expect(caught).toBe(corpus.length);
    expect(result.redactions).toBe(corpus.length);
    expect(result.text.split(separator)).toHaveLength(corpus.length);
    expect(result.kinds).toEqual([...new Set(corpus.map((entry) => entry.kind))].sort());
  });

  it("keeps the text around a secret: only the secret itself is replaced", () => {
    expect(redactSecrets("postgres://app:S3cret!pw@db.example.com:5432/app").text).toBe(
      "postgres://app:[REDACTED:connection_string]@db.example.com:5432/app",
    );
    expect(redactSecrets("PGPASSWORD=Hunter42! psql -h db").text).toBe("PGPASSWORD=[REDACTED:password] psql -h db");
    expect(redactSecrets("my password is hunter2.").text).toBe("my password is [REDACTED:password].");
  });

  it("is idempotent: redacting its own output finds nothing more", () => {
    const once = redactSecrets(corpus.map((entry) => entry.text).join("\n"));
    const twice = redactSecrets(once.text);
    expect(twice).toEqual({ text: once.text, redactions: 0, kinds: [] });
  });

  it("never puts the secret, or any long piece of it, in the placeholder", () => {
    for (const entry of corpus) {
      const placeholders = redactSecrets(entry.text).text.match(/\[REDACTED:[a-z0-9_]+\]/g) ?? [];
      expect(placeholders).toEqual([`[REDACTED:${entry.kind}]`]);
    }
  });
});

describe("redactSecrets on look-alikes", () => {
  it.each(lookAlikes().map((text) => [text.slice(0, 60), text] as const))("leaves %j unchanged", (_name, text) => {
    expect(redactSecrets(text)).toEqual({ text, redactions: 0, kinds: [] });
  });

  it("returns the same string object when there is nothing to redact", () => {
    const text = "nothing secret here, just a note about tabs vs spaces";
    expect(redactSecrets(text).text).toBe(text);
  });
});
