import { createOfflineConsolidationModel, ExtractedFact } from "@nocturne/core";
import { describe, expect, it } from "vitest";
import { callContext, chunkOf, line, userChunk } from "./support.js";

const model = createOfflineConsolidationModel();

async function extractOne(text: string) {
  const chunk = userChunk("sesn_t", [text]);
  return model.extract({ type: "transcript", chunk }, callContext());
}

type Expected = { key: string; kind: string; statement: string; topic?: string };

/** What a user says → the facts the offline model must read from it (key, kind, exact statement). */
const TABLE: Array<[string, Expected[]]> = [
  [
    "Remember that I prefer tabs over spaces.",
    [
      {
        key: "style.indentation",
        kind: "preference",
        statement: "User prefers tabs over spaces.",
        topic: "preferences",
      },
    ],
  ],
  [
    "from now on, always use pnpm",
    [{ key: "tooling.package_manager", kind: "preference", statement: "Always use pnpm.", topic: "tooling" }],
  ],
  ["I live in Berlin.", [{ key: "home.location", kind: "fact", statement: "User lives in Berlin.", topic: "profile" }]],
  // The dev8 pass: a tool dropped for another is a switch; a thing of the team on a cloud is hosted there.
  [
    "We ditched Jest for Vitest.",
    [{ key: "tooling.test_framework", kind: "fact", statement: "The team ditched Jest for Vitest." }],
  ],
  [
    "We moved the docs to Netlify.",
    [{ key: "project.docs.hosting", kind: "fact", statement: "The team moved the docs to Netlify." }],
  ],
  [
    "I prefer the high-contrast theme.",
    [{ key: "style.theme", kind: "preference", statement: "User prefers the high-contrast theme." }],
  ],
  [
    "Our team's main branch is called develop.",
    [{ key: "workflow.default_branch", kind: "fact", statement: "The team's main branch is called develop." }],
  ],
  [
    "We use Terraform for infra.",
    [{ key: "tooling.infra", kind: "fact", statement: "The team uses Terraform for infra." }],
  ],
  [
    "Our Python projects use uv.",
    [{ key: "tooling.python_packaging", kind: "fact", statement: "The team's Python projects use uv." }],
  ],
  [
    "The staging db is MySQL 8.4.",
    [{ key: "project.staging.database", kind: "fact", statement: "The staging db is MySQL 8.4." }],
  ],
  [
    "Heads up that the staging db is MySQL 8.4.",
    [{ key: "project.staging.database", kind: "fact", statement: "The staging db is MySQL 8.4." }],
  ],
  ["pls always use tabs", [{ key: "style.indentation", kind: "preference", statement: "Always use tabs." }]],
  // …and reads a few more plain ways of saying a fact in passing.
  ["I'm originally from Cork.", [{ key: "user.hometown", kind: "fact", statement: "User is originally from Cork." }]],
  ["I got into birdwatching.", [{ key: "user.hobby", kind: "fact", statement: "User got into birdwatching." }]],
  [
    "I quit my job at Zalando.",
    [{ key: "profile.employer", kind: "fact", statement: "User quit the user's job at Zalando." }],
  ],
  ["I go by Alex now.", [{ key: "profile.name", kind: "fact", statement: "User goes by Alex." }]],
  [
    "We've gone from npm to pnpm.",
    [{ key: "tooling.package_manager", kind: "fact", statement: "The team has gone from npm to pnpm." }],
  ],
  ["tbh I hate cold weather", [{ key: "user.dislikes", kind: "preference", statement: "User hates cold weather." }]],
  [
    "Not gonna lie, I love board games.",
    [{ key: "user.likes", kind: "preference", statement: "User loves board games." }],
  ],
  [
    "I switched to the Zed editor.",
    [{ key: "tooling.editor", kind: "fact", statement: "User switched to the Zed editor." }],
  ],
  ["I've got three kids.", [{ key: "user.child", kind: "fact", statement: "User has got three kids." }]],
  [
    "We stopped using Sentry.",
    [{ key: "tooling.error_tracking", kind: "fact", statement: "The team stopped using Sentry." }],
  ],
  ["I'm from Nairobi originally.", [{ key: "user.hometown", kind: "fact", statement: "User is from Nairobi." }]],
  ["I went fully vegetarian.", [{ key: "user.diet", kind: "fact", statement: "User went fully vegetarian." }]],
  ["I'm going by Sam now.", [{ key: "profile.name", kind: "fact", statement: "User is going by Sam." }]],
  [
    "Vitest is our test runner now.",
    [{ key: "tooling.test_framework", kind: "fact", statement: "Vitest is the team's test runner now." }],
  ],
  [
    "I prefer morning meetings.",
    [{ key: "user.meeting_time", kind: "preference", statement: "User prefers morning meetings." }],
  ],
  ["I live in Porto, how about you?", [{ key: "home.location", kind: "fact", statement: "User lives in Porto." }]],
  ["I moved to Lisbon last month.", [{ key: "home.location", kind: "fact", statement: "User moved to Lisbon." }]],
  ["we switched to pnpm", [{ key: "tooling.package_manager", kind: "fact", statement: "The team switched to pnpm." }]],
  [
    "We migrated from MySQL to Postgres last year.",
    [{ key: "tooling.database", kind: "fact", statement: "The team migrated from MySQL to Postgres." }],
  ],
  [
    "Please note that the staging DB runs on port 5433.",
    [
      {
        key: "project.staging.database.port",
        kind: "fact",
        statement: "The staging DB runs on port 5433.",
        topic: "notes",
      },
    ],
  ],
  [
    "Going forward, reply in German.",
    [{ key: "communication.language", kind: "preference", statement: "Reply in German." }],
  ],
  [
    "I like vim better than emacs.",
    [{ key: "tooling.editor", kind: "preference", statement: "User likes vim better than emacs." }],
  ],
  [
    "Don't ever force-push to main.",
    [{ key: "force_push_main", kind: "procedure", statement: "Never force-push to main.", topic: "workflow" }],
  ],
  [
    "never commit directly to main",
    [{ key: "commit_directly_main", kind: "procedure", statement: "Never commit directly to main." }],
  ],
  ["my name is Sam", [{ key: "profile.name", kind: "fact", statement: "User's name is Sam." }]],
  [
    "My pronouns are they/them.",
    [{ key: "profile.pronouns", kind: "fact", statement: "User's pronouns are they/them." }],
  ],
  [
    "I'm a senior frontend developer at Acme.",
    // One fact per attribute: the role and the employer are separate facts, each with its own value.
    [
      { key: "profile.role", kind: "fact", statement: "User is a senior frontend developer." },
      { key: "profile.employer", kind: "fact", statement: "User is a senior frontend developer at Acme." },
    ],
  ],
  ["I work at Globex.", [{ key: "profile.employer", kind: "fact", statement: "User works at Globex." }]],
  ["my timezone is CET", [{ key: "profile.timezone", kind: "fact", statement: "User's timezone is CET." }]],
  ["I'm on macOS.", [{ key: "profile.os", kind: "fact", statement: "User is on macOS." }]],
  ["I use zsh.", [{ key: "tooling.shell", kind: "fact", statement: "User uses zsh." }]],
  [
    "Our CI runs on GitHub Actions.",
    [{ key: "tooling.ci", kind: "fact", statement: "The team's CI runs on GitHub Actions." }],
  ],
  [
    "Keep in mind that deploys are frozen on Fridays.",
    // A schedule noted explicitly is a rule to work by.
    [{ key: "deploy.frozen", kind: "procedure", statement: "Deploys are frozen on Fridays." }],
  ],
  [
    "remember to run migrations before deploying",
    [{ key: "run_migration_before_deploy", kind: "procedure", statement: "Run migrations before deploying." }],
  ],
  ["I hate long meetings.", [{ key: "user.dislikes", kind: "preference", statement: "User hates long meetings." }]],
  // A preference no frame can name an attribute for is declined (`unrecognised`), unless the user marked it
  // explicitly: then it is kept, keyed by its words (no value, multi).
  ["I'd rather have small commits.", []],
  [
    "Remember that I'd rather have small commits.",
    [{ key: "small_commit", kind: "preference", statement: "User would rather have small commits." }],
  ],
  // A retraction of a member of the team's tools: the key names the attribute, never the value.
  ["We no longer use Redux.", [{ key: "team.tools", kind: "fact", statement: "The team no longer uses Redux." }]],
  ["we're using Vitest now", [{ key: "tooling.test_framework", kind: "fact", statement: "The team is using Vitest." }]],
  [
    "Please always write tests first.",
    [{ key: "write_test", kind: "procedure", statement: "Always write tests first." }],
  ],
  ["You should never log secrets.", [{ key: "log_secret", kind: "procedure", statement: "Never log secrets." }]],
  [
    "Use single quotes instead of double quotes.",
    [{ key: "style.quotes", kind: "preference", statement: "Use single quotes instead of double quotes." }],
  ],
  [
    "FYI we use Terraform for infrastructure.",
    [
      {
        key: "tooling.infrastructure",
        kind: "fact",
        statement: "The team uses Terraform for infrastructure.",
        topic: "tooling",
      },
    ],
  ],
  [
    "For the record, my GitHub username is samdev.",
    [{ key: "user.github_username", kind: "fact", statement: "User's GitHub username is samdev.", topic: "profile" }],
  ],
  [
    "I always use 4 spaces in Python.",
    [{ key: "style.indentation", kind: "preference", statement: "User always uses 4 spaces in Python." }],
  ],
  ["Also, I prefer dark mode.", [{ key: "style.theme", kind: "preference", statement: "User prefers dark mode." }]],
  ["Call me Sam.", [{ key: "profile.name", kind: "fact", statement: "Call the user Sam." }]],
  [
    "ok so from now on let's always squash merge",
    [{ key: "squash_merge", kind: "procedure", statement: "Always squash merge." }],
  ],
  ["we deploy to AWS", [{ key: "tooling.cloud", kind: "fact", statement: "The team deploys to AWS." }]],
  [
    "I prefer to keep PRs under 400 lines.",
    [
      {
        key: "keep_pull_request_under_line",
        kind: "preference",
        statement: "User prefers to keep PRs under 400 lines.",
      },
    ],
  ],
  [
    "Hi! I'm Priya, backend engineer on the payments team at Fernhill.",
    [
      { key: "profile.name", kind: "fact", statement: "User is Priya." },
      { key: "profile.role", kind: "fact", statement: "User is backend engineer on the payments team at Fernhill." },
    ],
  ],
  [
    "ledger-api, our billing service. I prefer tabs for indentation, and please keep your answers short.",
    [
      { key: "style.indentation", kind: "preference", statement: "User prefers tabs for indentation." },
      { key: "communication.verbosity", kind: "preference", statement: "Keep your answers short." },
    ],
  ],
  [
    "We switched to pnpm last week, so from now on use pnpm instead of npm for everything in ledger-api.",
    [
      { key: "tooling.package_manager", kind: "fact", statement: "The team switched to pnpm." },
      {
        key: "tooling.package_manager",
        kind: "preference",
        statement: "Use pnpm instead of npm for everything in ledger-api.",
      },
    ],
  ],
  [
    "my timezone is Europe/Lisbon, so set the nightly reconciliation to 02:00 Lisbon time while you're in there.",
    [{ key: "profile.timezone", kind: "fact", statement: "User's timezone is Europe/Lisbon." }],
  ],
  [
    "I switched from VS Code to Neovim last month; my editor is Neovim now, so give me Neovim keybindings.",
    [
      { key: "tooling.editor", kind: "fact", statement: "User switched from VS Code to Neovim." },
      { key: "tooling.editor", kind: "fact", statement: "User's editor is Neovim." },
    ],
  ],
  [
    "From now on use 2 spaces for indentation; the team adopted Biome's defaults.",
    [
      // "adopted Biome's defaults" names no value the model can key: declined, not guessed.
      { key: "style.indentation", kind: "preference", statement: "Use 2 spaces for indentation." },
    ],
  ],
  [
    "Remember that money amounts are always integer cents — never floats, not even temporarily.",
    [
      {
        key: "money_amount.integer_cent_float",
        kind: "fact",
        statement: "Money amounts are always integer cents — never floats, not even temporarily.",
      },
    ],
  ],
  [
    "We use BullMQ for the webhook retry queue now.",
    [
      {
        key: "tooling.webhook_retry_queue",
        kind: "fact",
        statement: "The team uses BullMQ for the webhook retry queue.",
      },
    ],
  ],
  [
    "Please note the release freeze starts on the 20th.",
    [{ key: "release_freeze_start", kind: "fact", statement: "The release freeze starts on the 20th." }],
  ],
  [
    "Remember that when I say ship it I mean merge and deploy.",
    [
      {
        key: "say_ship.merge_deploy",
        kind: "fact",
        statement: "When the user says ship it the user means merge and deploy.",
      },
    ],
  ],
  [
    "We use Jest with ts-jest btw, don't suggest mocha.",
    [{ key: "tooling.test_framework", kind: "fact", statement: "The team uses Jest." }],
  ],
];

/** Things users say that are not memory statements: requests, questions, chatter, opinions about "this". */
const NOTHING = [
  "I ate sushi yesterday.",
  "I just drank a whole pot of coffee.",
  "Translate this into German: I love my job.",
  "Proofread this: I live in Berlin and work at Acme.",
  "Can you fix the login bug?",
  "I think this looks good.",
  "Let me know if that works.",
  "I like this approach.",
  "my code is broken",
  "Should we use pnpm?",
  "Do you remember that I prefer tabs?",
  "Run `docker compose up -d db` and try again.",
  "Please review PR #212 (the refund endpoint).",
  "The CI job still calls `npm ci`, please update .github/workflows/ci.yml.",
  "I don't like it when you add emojis.",
  "Move the nightly reconciliation cron to 02:00 Europe/Berlin.",
  "Stripe webhooks time out in staging.",
  "Thanks, that's all for today!",
];

/** Words a statement may add to what the user said: the third-person rewrite and the fixed phrasings. */
const REWRITE_WORDS = new Set(
  "user user's the team team's is has would will was a an does doesn't name wants to be called never".split(" "),
);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []).map((word) => word.replace(/'s$/, ""));
}

/** A statement word the user said, allowing the third-person verb ending the rewrite adds (uses → use). */
function saidBy(said: Set<string>, word: string): boolean {
  const bases = [word, word.replace(/s$/, ""), word.replace(/es$/, ""), word.replace(/ies$/, "y")];
  return REWRITE_WORDS.has(word) || bases.some((base) => said.has(base));
}

describe("offline model: utterances → facts", () => {
  it.each(TABLE)("%s", async (text, expected) => {
    const facts = await extractOne(text);
    expect(facts.map(({ key, kind, statement }) => ({ key, kind, statement }))).toEqual(
      expected.map(({ key, kind, statement }) => ({ key, kind, statement })),
    );
    for (const [index, fact] of facts.entries()) {
      const topic = expected[index]?.topic;
      if (topic !== undefined) expect(fact.topic).toBe(topic);
      expect(ExtractedFact.safeParse(fact).success).toBe(true);
      expect(fact.evidence).toHaveLength(1);
      expect(fact.evidence[0]?.event_id).toBe("sesn_t_e0");
      expect(text).toContain(fact.evidence[0]?.quote);
      const said = new Set(words(text));
      const added = words(fact.statement).filter((word) => !saidBy(said, word));
      expect(added, `words in "${fact.statement}" that the user did not say`).toEqual([]);
    }
  });

  it.each([
    ["my name's Tiago btw", "profile.name", "Tiago"],
    ["my timezone is CET fyi", "profile.timezone", "CET"],
  ])("keeps a chat filler out of the value: %j", async (text, key, value) => {
    const facts = await extractOne(text);
    expect(facts.map((fact) => [fact.key, fact.value])).toEqual([[key, value]]);
  });

  it("keeps an explicit note of a schedule, a limit or a requirement as a rule, and other notes as facts", async () => {
    const kinds = async (text: string) => (await extractOne(text)).map((fact) => fact.kind);
    expect(await kinds("Remember that the staging certs expire every 90 days.")).toEqual(["procedure"]);
    expect(await kinds("Remember: prod deploys only happen on Tuesdays.")).toEqual(["procedure"]);
    expect(await kinds("Keep in mind that the API rate limit is 100 requests per minute.")).toEqual(["procedure"]);
    expect(await kinds("Remember that staging deploys need approval from Ops.")).toEqual(["procedure"]);
    expect(await kinds("Remember that the office is on the third floor.")).toEqual(["fact"]);
    expect(await kinds("Remember that Zephyr-532 ships on weekly releases.")).toEqual(["fact"]);
    // A server or service named by an identifier is a thing of the team, not someone else.
    expect(await kinds("Just so you know, Zephyr-532 runs out of us-east-1.")).toEqual(["fact"]);
  });

  it.each(NOTHING)("reads nothing from %j", async (text) => {
    expect(await extractOne(text)).toEqual([]);
  });

  it("reads only the user's lines: agent, tool and system text is never a source", async () => {
    const said = "Remember that I prefer tabs. We use pnpm.";
    const chunk = chunkOf("sesn_r", [
      line("sesn_r", 0, said, "agent"),
      line("sesn_r", 1, said, "tool"),
      line("sesn_r", 2, said, "system"),
      line("sesn_r", 3, "I live in Porto."),
    ]);
    const facts = await model.extract({ type: "transcript", chunk }, callContext());
    expect(facts.map((fact) => fact.statement)).toEqual(["User lives in Porto."]);
    expect(facts[0]?.evidence).toEqual([{ event_id: "sesn_r_e3", quote: "I live in Porto." }]);
  });

  it("merges one statement repeated in several events into one fact citing each event", async () => {
    const chunk = userChunk("sesn_m", ["Keep replies brief.", "ok", "Keep replies brief."]);
    const facts = await model.extract({ type: "transcript", chunk }, callContext());
    expect(facts).toHaveLength(1);
    expect(facts[0]?.evidence.map((item) => item.event_id)).toEqual(["sesn_m_e0", "sesn_m_e2"]);
  });

  it("skips quoted and fenced text, which the user is citing rather than saying", async () => {
    const facts = await extractOne(
      ["> I prefer spaces, said the old style guide", "```", "we use yarn", "```", "I prefer tabs."].join("\n"),
    );
    expect(facts.map((fact) => fact.statement)).toEqual(["User prefers tabs."]);
  });

  it("never emits a fact that carries or stands for a credential", async () => {
    const facts = await extractOne(
      [
        "Remember that my API key is [REDACTED:openai_api_key].",
        "Remember that the password is hunter2.",
        "Remember that the deploy token is ghp_abcdefghijklmnopqrstuvwxyz0123456789.",
        "Never commit secrets to git.",
      ].join("\n"),
    );
    expect(facts.map((fact) => fact.statement)).toEqual(["Never commit secrets to git."]);
  });
});
