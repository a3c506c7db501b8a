import type { Cardinality, FactKind } from "@nocturne/core";

/** Render a sentence about an entity (or the user, when `entity` is null) holding a value. */
export type Phrase = (entity: string, value: string) => string;
/** Render a dated change of value. */
export type ChangePhrase = (entity: string, value: string, date: string) => string;

/**
 * One attribute a subject can have. Values are disjoint across attributes, so a value's text (with its entity)
 * identifies the subject it belongs to; statements are built so those markers always survive rewording.
 */
export interface AttributeDef {
  /** Unique across every vocabulary (base and families). */
  id: string;
  kind: Exclude<FactKind, "insight" | "transient">;
  /** `single`: a newer value replaces the older one. `multi`: values are members of a set that accumulate. */
  cardinality: Cardinality;
  values: readonly string[];
  /** The normalized statement a perfect extractor returns. */
  canonical: Phrase;
  /** Other ways people say the same thing in a conversation or a note. */
  wordings: readonly Phrase[];
  /** Dated ways of announcing a new value. */
  changes: readonly ChangePhrase[];
  /** A mention of a value the subject no longer has (a perfect extractor ignores it). */
  history: Phrase;
  /** For `multi` attributes: how a member is explicitly removed from the set. */
  retraction?: { canonical: Phrase; wordings: readonly Phrase[] };
  /**
   * The phrase that names the subject in a sentence, when it is not the entity itself (a relation's subject is
   * "Priya mentors", not "Priya", so that "Tomasz mentors Priya" is another subject).
   */
  anchor?: (entity: string) => string;
  /** The first segment of the subject key for an entity. Default `projects`. */
  namespace?: string;
  /** The topic of every subject of this attribute. Default: the entity's project topic. */
  topic?: string;
}

/** Codenames for generated projects; a project is `<Codename>-<number>`, e.g. `Atlas-17`. */
export const CODENAMES = [
  "Atlas",
  "Borealis",
  "Cobalt",
  "Dune",
  "Ember",
  "Falcon",
  "Garnet",
  "Harbor",
  "Indigo",
  "Juniper",
  "Kestrel",
  "Lumen",
  "Meridian",
  "Nimbus",
  "Onyx",
  "Pylon",
  "Quartz",
  "Raven",
  "Sable",
  "Tundra",
  "Umber",
  "Vortex",
  "Willow",
  "Xenon",
  "Yarrow",
  "Zephyr",
  "Argent",
  "Basalt",
  "Cirrus",
  "Delta",
] as const;

/** Attributes of a project. */
export const PROJECT_ATTRIBUTES: readonly AttributeDef[] = [
  {
    id: "deploy_region",
    kind: "fact",
    cardinality: "single",
    values: ["us-east-1", "eu-west-3", "ap-south-2", "ca-central-1", "sa-east-1", "eu-north-1", "me-central-1"],
    canonical: (e, v) => `${e} deploys to ${v}.`,
    wordings: [
      (e, v) => `btw, ${e} is deployed in ${v}.`,
      (e, v) => `Just so you know, ${e} runs out of ${v}.`,
      (e, v) => `${e} lives in the ${v} region.`,
      (e, v) => `Remember that ${e} ships to ${v}.`,
    ],
    changes: [
      (e, v, d) => `As of ${d} we moved ${e} to ${v}, so deploy there from now on.`,
      (e, v, d) => `Heads up: since ${d}, ${e} deploys to ${v} instead.`,
    ],
    history: (e, v) => `${e} used to run in ${v} a while back.`,
  },
  {
    id: "database",
    kind: "fact",
    cardinality: "single",
    values: ["PostgreSQL 16", "MySQL 8", "CockroachDB", "MongoDB 7", "DynamoDB", "MariaDB 11", "ScyllaDB"],
    canonical: (e, v) => `${e} stores its data in ${v}.`,
    wordings: [
      (e, v) => `${e} keeps everything in ${v}.`,
      (e, v) => `The database behind ${e} is ${v}.`,
      (e, v) => `For ${e} we use ${v} as the main store.`,
    ],
    changes: [
      (e, v, d) => `On ${d} we finished migrating ${e} to ${v}.`,
      (e, v, d) => `${e} switched its database to ${v} on ${d}.`,
    ],
    history: (e, v) => `Back when ${e} was on ${v} the backups were slow.`,
  },
  {
    id: "language",
    kind: "fact",
    cardinality: "single",
    values: ["TypeScript", "Golang", "Rust", "Kotlin", "Elixir", "Python 3.12", "Scala 3"],
    canonical: (e, v) => `${e} is written in ${v}.`,
    wordings: [
      (e, v) => `${e} is a ${v} codebase.`,
      (e, v) => `All of ${e} is ${v}.`,
      (e, v) => `We write ${e} in ${v}.`,
    ],
    changes: [
      (e, v, d) => `Since ${d} ${e} has been rewritten in ${v}.`,
      (e, v, d) => `The ${e} port to ${v} landed on ${d}; that is the language now.`,
    ],
    history: (e, v) => `The old ${v} version of ${e} is archived.`,
  },
  {
    id: "ci",
    kind: "fact",
    cardinality: "single",
    values: ["GitHub Actions", "Buildkite", "CircleCI", "GitLab CI", "Jenkins", "Drone CI"],
    canonical: (e, v) => `${e} runs its CI on ${v}.`,
    wordings: [
      (e, v) => `CI for ${e} is on ${v}.`,
      (e, v) => `${e} builds in ${v}.`,
      (e, v) => `We use ${v} to build ${e}.`,
    ],
    changes: [(e, v, d) => `As of ${d}, ${e} builds on ${v}.`, (e, v, d) => `We moved ${e} CI over to ${v} on ${d}.`],
    history: (e, v) => `The ${v} pipelines of ${e} were retired.`,
  },
  {
    id: "test_command",
    kind: "procedure",
    cardinality: "single",
    values: ["make check", "cargo nextest run", "just test", "bazel test //...", "tox -e py312", "rake spec"],
    canonical: (e, v) => `To test ${e}, run \`${v}\`.`,
    wordings: [
      (e, v) => `The way to run the ${e} tests is \`${v}\`.`,
      (e, v) => `Always run \`${v}\` before pushing ${e}.`,
      (e, v) => `${e} tests: \`${v}\`.`,
    ],
    changes: [
      (e, v, d) => `From ${d} on, test ${e} with \`${v}\`.`,
      (e, v, d) => `The ${e} test command changed on ${d}: it is \`${v}\` now.`,
    ],
    history: (e, v) => `We stopped using \`${v}\` for ${e}.`,
  },
  {
    id: "owner",
    kind: "fact",
    cardinality: "single",
    values: ["team Payments", "team Search", "team Growth", "team Platform", "team Identity", "team Mobile"],
    canonical: (e, v) => `${e} is owned by ${v}.`,
    wordings: [
      (e, v) => `${v} owns ${e}.`,
      (e, v) => `Questions about ${e} go to ${v}.`,
      (e, v) => `${e} belongs to ${v}.`,
    ],
    changes: [(e, v, d) => `On ${d} ownership of ${e} moved to ${v}.`, (e, v, d) => `${v} took over ${e} on ${d}.`],
    history: (e, v) => `${v} handed ${e} over some time ago.`,
  },
  {
    id: "release_cadence",
    kind: "fact",
    cardinality: "single",
    values: ["weekly releases", "biweekly releases", "monthly releases", "continuous deployment", "quarterly releases"],
    canonical: (e, v) => `${e} ships on ${v}.`,
    wordings: [
      (e, v) => `${e} is on ${v}.`,
      (e, v) => `We do ${v} for ${e}.`,
      (e, v) => `The release rhythm of ${e} is ${v}.`,
    ],
    changes: [(e, v, d) => `Starting ${d}, ${e} moves to ${v}.`, (e, v, d) => `Since ${d} ${e} is on ${v}.`],
    history: (e, v) => `${e} had ${v} last year.`,
  },
];

/** Preferences of the user (entity-less subjects). */
export const USER_ATTRIBUTES: readonly AttributeDef[] = [
  {
    id: "indentation",
    kind: "preference",
    cardinality: "single",
    values: ["tabs", "2-space indentation", "4-space indentation"],
    canonical: (_e, v) => `The user prefers ${v} in code.`,
    wordings: [
      (_e, v) => `I like ${v} in code.`,
      (_e, v) => `Please use ${v} when you write code for me.`,
      (_e, v) => `My code style is ${v}.`,
    ],
    changes: [
      (_e, v, d) => `From now on (${d}) I want ${v} in code.`,
      (_e, v, d) => `I changed my mind on ${d}: ${v} in code from now on.`,
    ],
    history: (_e, v) => `I tried ${v} in code once and did not like it.`,
  },
  {
    id: "answer_style",
    kind: "preference",
    cardinality: "single",
    values: ["bullet-point answers", "short prose answers", "code-first answers", "step-by-step answers"],
    canonical: (_e, v) => `The user wants ${v}.`,
    wordings: [(_e, v) => `I prefer ${v}.`, (_e, v) => `Give me ${v}, please.`, (_e, v) => `${v} work best for me.`],
    changes: [(_e, v, d) => `Since ${d} I would rather get ${v}.`, (_e, v, d) => `New preference as of ${d}: ${v}.`],
    history: (_e, v) => `You gave me ${v} before and that was fine at the time.`,
  },
  {
    id: "home_city",
    kind: "fact",
    cardinality: "single",
    values: ["Lisbon", "Montreal", "Osaka", "Nairobi", "Tallinn", "Kraków"],
    canonical: (_e, v) => `The user lives in ${v}.`,
    wordings: [(_e, v) => `I live in ${v}.`, (_e, v) => `I am based in ${v}.`, (_e, v) => `My home is ${v}.`],
    changes: [(_e, v, d) => `I moved to ${v} on ${d}.`, (_e, v, d) => `Since ${d} I live in ${v}.`],
    history: (_e, v) => `I miss the food in ${v}.`,
  },
  {
    id: "commit_style",
    kind: "preference",
    cardinality: "single",
    values: ["Conventional Commits", "gitmoji commits", "one-line imperative commits"],
    canonical: (_e, v) => `The user writes ${v}.`,
    wordings: [
      (_e, v) => `Use ${v} for my repos.`,
      (_e, v) => `I always do ${v}.`,
      (_e, v) => `Commit messages: ${v}.`,
    ],
    changes: [(_e, v, d) => `As of ${d} I switched to ${v}.`, (_e, v, d) => `From ${d}, please write ${v}.`],
    history: (_e, v) => `My old repos still have ${v}.`,
  },
  {
    id: "editor",
    kind: "preference",
    cardinality: "single",
    values: ["Neovim", "VS Code", "Zed", "Helix", "Emacs"],
    canonical: (_e, v) => `The user edits code in ${v}.`,
    wordings: [
      (_e, v) => `My editor is ${v}.`,
      (_e, v) => `I code in ${v}.`,
      (_e, v) => `I do all my editing in ${v}.`,
    ],
    changes: [(_e, v, d) => `I switched my editor to ${v} on ${d}.`, (_e, v, d) => `Since ${d} I edit in ${v}.`],
    history: (_e, v) => `I used ${v} years ago.`,
  },
];

/** A cross-session pattern: one-off occurrences in several sessions that together support an insight. */
export interface PatternDef {
  id: string;
  /** One occurrence, on a date. */
  occurrence: (entity: string, date: string) => string;
  /** The insight, whose marker phrase never appears in an occurrence. */
  insight: (entity: string) => string;
  /** The phrase that identifies the insight (with its entity). */
  marker: string;
  /** The phrase that identifies an occurrence (with its entity). */
  occurrenceMarker: string;
}

/** Patterns that only show across sessions. */
export const PATTERNS: readonly PatternDef[] = [
  {
    id: "nightly_oom",
    occurrence: (e, d) => `The ${e} nightly build got OOM-killed again on ${d}.`,
    insight: (e) => `${e}'s nightly build repeatedly runs out of memory; it needs a bigger runner.`,
    marker: "repeatedly runs out of memory",
    occurrenceMarker: "OOM-killed",
  },
  {
    id: "cold_cache_flakes",
    occurrence: (e, d) => `The ${e} integration tests flaked on ${d} right after a cold cache start.`,
    insight: (e) => `${e}'s integration tests are flaky whenever the cache starts cold.`,
    marker: "flaky whenever the cache starts cold",
    occurrenceMarker: "cold cache start",
  },
  {
    id: "friday_freeze",
    occurrence: (e, d) => `The ${e} deploy on ${d} was blocked by the Friday change freeze.`,
    insight: (e) => `${e} deploys keep hitting the Friday change freeze; schedule them earlier in the week.`,
    marker: "keep hitting the Friday change freeze",
    occurrenceMarker: "Friday change freeze",
  },
  {
    id: "token_rotation",
    occurrence: (e, d) => `${e} logins timed out on ${d} just after the token rotation.`,
    insight: (e) => `${e} logins time out after every token rotation.`,
    marker: "time out after every token rotation",
    occurrenceMarker: "just after the token rotation",
  },
];

/** Error codes of one-off debugging noise. */
export const NOISE_ERRORS = ["ECONNREFUSED", "EADDRINUSE", "ETIMEDOUT", "ENOSPC", "EPIPE", "ECONNRESET"] as const;

/** Templates of one-off debugging noise; `t` is a time like `14:03`, unique per noise item with its error. */
export const NOISE_TEMPLATES: readonly ((entity: string, error: string, time: string) => string)[] = [
  (e, err, t) => `The ${e} build failed at ${t} with ${err}; a restart fixed it.`,
  (e, err, t) => `Got ${err} from ${e} at ${t} during the migration, probably a blip.`,
  (e, err, t) => `${e} threw ${err} at ${t} on my laptop, ignore it.`,
];

const FILLER_SUBJECTS = [
  "the parser",
  "this handler",
  "the retry loop",
  "that helper",
  "the config loader",
  "our cache layer",
  "the queue consumer",
  "the schema check",
  "the router",
  "the test fixture",
  "the date formatter",
  "the upload path",
];
const FILLER_VERBS = [
  "should return early when",
  "breaks if",
  "needs a guard for when",
  "could skip work when",
  "logs a warning when",
  "only misbehaves when",
  "allocates too much when",
];
const FILLER_OBJECTS = [
  "the input is empty",
  "the list has one item",
  "two requests race",
  "the file is missing",
  "the header is malformed",
  "the map grows large",
  "a callback throws",
  "the clock skews",
];
const FILLER_ASKS = [
  "Can you take a look at",
  "Why does",
  "Could you refactor",
  "What is wrong with",
  "Please add tests for",
];
const CODE_WORDS = ["input", "buffer", "items", "result", "entry", "options", "state", "value", "queue", "index"];
const PATH_WORDS = ["core", "util", "server", "client", "parser", "store", "queue", "http", "auth", "jobs"];
const LOG_WORDS = ["loaded", "resolved", "compiled", "scheduled", "flushed", "checked", "cached", "skipped"];

/** Filler that states nothing: chit-chat, explanations, code and logs. Never contains a marker. */
export const FILLER = {
  subjects: FILLER_SUBJECTS,
  verbs: FILLER_VERBS,
  objects: FILLER_OBJECTS,
  asks: FILLER_ASKS,
  codeWords: CODE_WORDS,
  pathWords: PATH_WORDS,
  logWords: LOG_WORDS,
};
