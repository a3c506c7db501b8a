import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createOfflineConsolidationModel, ExtractedFact, type MemorySnippet } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, memory } from "./support.js";

const model = createOfflineConsolidationModel();

async function extract(memories: MemorySnippet[]) {
  return model.extract({ type: "memories", memories }, callContext());
}

function expectCited(facts: ExtractedFact[], memories: MemorySnippet[]) {
  const byId = new Map(memories.map((item) => [item.id, item.content]));
  for (const fact of facts) {
    expect(ExtractedFact.safeParse(fact).success).toBe(true);
    for (const cited of fact.evidence) {
      expect(byId.has(cited.event_id)).toBe(true);
      expect(byId.get(cited.event_id)).toContain(cited.quote);
    }
  }
}

describe("offline model: existing memories → facts", () => {
  it("reads one fact per bullet, topic from the path, evidence = the memory id and the line itself", async () => {
    const memories = [
      memory(
        "mem_editor",
        "/preferences/editor.md",
        "# Editor\n\n- Prefers tabs for indentation.\n* Uses **Neovim** with LazyVim.\n1. Dark mode everywhere.\n",
      ),
    ];
    const facts = await extract(memories);
    expectCited(facts, memories);
    expect(facts.map(({ key, topic, statement, kind }) => ({ key, topic, statement, kind }))).toEqual([
      {
        key: "style.indentation",
        topic: "preferences/editor",
        statement: "Prefers tabs for indentation.",
        kind: "preference",
      },
      { key: "tooling.editor", topic: "preferences/editor", statement: "Uses Neovim with LazyVim.", kind: "fact" },
      { key: "style.theme", topic: "preferences/editor", statement: "Dark mode everywhere.", kind: "fact" },
    ]);
    expect(facts[1]?.evidence).toEqual([{ event_id: "mem_editor", quote: "* Uses **Neovim** with LazyVim." }]);
  });

  it("reads a short bullet under a heading naming its subject as 'Heading: value'", async () => {
    const facts = await extract([
      memory("mem_t", "/tooling.md", "## Package manager\n- pnpm\n\n## Name\n- Sam\n\n## Editor\n- Dark mode\n"),
    ]);
    expect(facts.map(({ key, statement }) => ({ key, statement }))).toEqual([
      { key: "tooling.package_manager", statement: "Package manager: pnpm" },
      { key: "profile.name", statement: "Name: Sam" },
      { key: "style.theme", statement: "Dark mode" },
    ]);
  });

  it("groups paragraph sentences that continue one another, and joins wrapped lines", async () => {
    const content = [
      "---",
      "title: notes",
      "tags: [a, b]",
      "---",
      "The staging database runs on port 5433. It is reset every night.",
      "Deploys happen from the release branch and",
      "need a green CI run.",
      "",
      "<!-- reviewed 2026-02 -->",
      "| Tool | Choice |",
      "| --- | --- |",
      "| Formatter | Biome |",
    ].join("\n");
    const memories = [memory("mem_p", "/notes.md", content)];
    const facts = await extract(memories);
    expectCited(facts, memories);
    expect(facts.map((fact) => fact.statement)).toEqual([
      "The staging database runs on port 5433. It is reset every night.",
      "Deploys happen from the release branch and need a green CI run.",
      "Tool | Choice",
      "Formatter | Biome",
    ]);
    expect(facts[0]?.key).toBe("stag_database.port_reset");
    expect(facts[3]?.key).toBe("tooling.formatter");
  });

  it("keeps a code block with the item before it, and a lone heading as one fact so no memory vanishes", async () => {
    const facts = await extract([
      memory("mem_c", "/workflow/deploy.md", "- Deploy with:\n\n```sh\nmake deploy ENV=prod\n```\n"),
      memory("mem_h", "/todo.md", "# Ship the importer"),
    ]);
    expect(facts.map(({ statement, topic }) => ({ statement, topic }))).toEqual([
      { statement: "Deploy with:\nmake deploy ENV=prod", topic: "workflow/deploy" },
      { statement: "Ship the importer", topic: "todo" },
    ]);
  });

  it("marks dated debugging notes transient, and keeps lasting gotchas and dated decisions", async () => {
    const memories = [
      memory(
        "mem_d",
        "/debugging/2026-09-03-flaky-invoice-test.md",
        "# 2026-09-03 — flaky invoice test\n\n- Debug log: reran the job 3 times, passed twice.\n- Temporarily skipped the rounding test until PR #198 lands.\n",
      ),
      memory(
        "mem_n",
        "/notes.md",
        [
          "- On 2026-09-04 port 5433 was already in use; killed a stray postgres container.",
          "- The build fails if NODE_ENV is unset.",
          "",
          "## 2026-01-05",
          "- Decided to keep the monorepo layout.",
          "- Restarted the flaky runner twice.",
        ].join("\n"),
      ),
    ];
    const facts = await extract(memories);
    expectCited(facts, memories);
    expect(facts.map(({ kind, statement }) => [kind, statement])).toEqual([
      ["transient", "Debug log: reran the job 3 times, passed twice."],
      ["transient", "Temporarily skipped the rounding test until PR #198 lands."],
      ["transient", "On 2026-09-04 port 5433 was already in use; killed a stray postgres container."],
      ["fact", "The build fails if NODE_ENV is unset."],
      ["fact", "Decided to keep the monorepo layout."],
      ["transient", "Restarted the flaky runner twice."],
    ]);
    for (const fact of facts.filter((item) => item.kind === "transient")) expect(fact.key).toMatch(/^transient\./);
  });

  it("reads instructions as procedures, likings as preferences, insight files as insights", async () => {
    const facts = await extract([
      memory(
        "mem_w",
        "/workflow.md",
        "- Always run the linter before committing.\n- Strict mode should be enabled in every tsconfig.\n",
      ),
      memory("mem_l", "/people.md", "- Priya likes small pull requests.\n- Priya lives in Berlin.\n"),
      memory("mem_i", "/insights.md", "- Flaky CI came up in 3 sessions.\n"),
    ]);
    expect(facts.map(({ kind }) => kind)).toEqual(["procedure", "procedure", "preference", "fact", "insight"]);
  });

  it("leaves out lines that carry a credential", async () => {
    const facts = await extract([
      memory(
        "mem_s",
        "/secrets.md",
        "- The deploy token is ghp_abcdefghijklmnopqrstuvwxyz0123456789\n- The vault lives at vault.internal.\n",
      ),
    ]);
    expect(facts.map((fact) => fact.statement)).toEqual(["The vault lives at vault.internal."]);
  });

  it("splits an item longer than a statement may be at sentence ends, each piece citing the memory", async () => {
    const sentence = "The ingestion service batches writes per tenant and flushes them every few seconds. ";
    const content = sentence.repeat(60).trim();
    const memories = [memory("mem_long", "/architecture.md", content)];
    const facts = await extract(memories);
    expectCited(facts, memories);
    expect(facts.length).toBeGreaterThan(1);
    expect(facts.map((fact) => fact.statement).join(" ")).toBe(content);
    for (const fact of facts) expect(fact.statement.length).toBeLessThanOrEqual(2000);
  });

  it("reads the bundled example memory folder", async () => {
    const root = fileURLToPath(new URL("../../../../../examples/data/memory/", import.meta.url));
    const paths = ["preferences.md", "profile.md", "projects/ledger-api.md"];
    const memories = await Promise.all(
      paths.map(async (path, index) => memory(`mem_${index}`, `/${path}`, await readFile(`${root}${path}`, "utf8"))),
    );
    const facts = await extract(memories);
    expectCited(facts, memories);
    const keys = new Map(facts.map((fact) => [fact.statement, fact.key]));
    expect(keys.get("Priya prefers tabs for indentation in TypeScript files.")).toBe("style.indentation");
    expect(keys.get("Use npm to install packages in ledger-api.")).toBe("tooling.package_manager");
    expect(keys.get("Priya lives in Lisbon, Portugal.")).toBe("home.location");
    expect(keys.get("Her editor is VS Code with the Vim keybindings extension.")).toBe("tooling.editor");
    expect(keys.get("The database is PostgreSQL 14 on RDS.")).toBe("tooling.database");
    expect(keys.get("Keep answers short and skip the long preamble.")).toBe("communication.verbosity");
    expect(keys.get("Replies should be concise and to the point, without a lengthy intro.")).toBe(
      "communication.verbosity",
    );
    expect(facts.every((fact) => fact.kind !== "transient")).toBe(true);
  });
});
