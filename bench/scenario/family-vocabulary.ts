import type { AttributeDef } from "./vocabulary.js";

/**
 * Vocabulary of the resolution families (multi-valued sets, role swaps, same-template entities, compound notes,
 * backfill, chained dreams). Written apart from the base templates of `vocabulary.ts`, and every value here is
 * disjoint from every other value here, so a value's text (with its anchor) still names one subject.
 */

/** Codenames for the families' projects: `<Codename>-<number>`, e.g. `Orchid-12`. */
export const FAMILY_CODENAMES = [
  "Orchid",
  "Puffin",
  "Lantern",
  "Marble",
  "Thistle",
  "Cascade",
  "Saffron",
  "Tamarack",
  "Beacon",
  "Coral",
  "Fennel",
  "Glacier",
] as const;

/** Phrases that mark a statement as retracting a set member ("I don't play chess any more"). */
export const RETRACTION_CUES = [
  "no longer",
  "any more",
  "anymore",
  "gave up",
  "given up",
  "stopped",
  "quit",
  "left",
  "forgotten",
  "rehomed",
  "passed away",
  "cancelled",
  "moved off",
] as const;

/** Sets the user holds: hobbies, spoken languages, pets, planned trips. */
export const USER_SET_ATTRIBUTES: readonly AttributeDef[] = [
  {
    id: "hobbies",
    kind: "fact",
    cardinality: "multi",
    values: ["chess", "bouldering", "sourdough baking", "trail running", "watercolour", "birdwatching", "woodworking"],
    canonical: (_e, v) => `One of the user's hobbies is ${v}.`,
    wordings: [
      (_e, v) => `I've been getting into ${v} lately.`,
      (_e, v) => `On weekends I mostly do ${v}.`,
      (_e, v) => `By the way, ${v} is one of my hobbies.`,
    ],
    changes: [(_e, v, d) => `Since ${d} I've picked up ${v} as a hobby.`],
    history: (_e, v) => `I did some ${v} as a kid.`,
    retraction: {
      canonical: (_e, v) => `The user no longer does ${v}.`,
      wordings: [
        (_e, v) => `I don't do ${v} any more.`,
        (_e, v) => `I gave up ${v} last month.`,
        (_e, v) => `Honestly, ${v} is not my thing anymore.`,
      ],
    },
  },
  {
    id: "spoken_languages",
    kind: "fact",
    cardinality: "multi",
    values: ["Portuguese", "Japanese", "Swahili", "Estonian", "Catalan", "Korean", "Icelandic"],
    canonical: (_e, v) => `The user speaks ${v}.`,
    wordings: [
      (_e, v) => `I speak ${v}.`,
      (_e, v) => `I can get by in ${v} too.`,
      (_e, v) => `I'm fluent in ${v}, so translate into it if you like.`,
    ],
    changes: [(_e, v, d) => `As of ${d} I can hold a conversation in ${v}.`],
    history: (_e, v) => `My grandmother spoke ${v} at home.`,
    retraction: {
      canonical: (_e, v) => `The user no longer speaks ${v}.`,
      wordings: [
        (_e, v) => `I've forgotten almost all my ${v}, so don't count on it.`,
        (_e, v) => `I can't really speak ${v} any more.`,
      ],
    },
  },
  {
    id: "pets",
    kind: "fact",
    cardinality: "multi",
    values: ["Pixel", "Miso", "Clover", "Mango", "Biscuit", "Pepper"],
    canonical: (_e, v) => `The user has a pet named ${v}.`,
    wordings: [
      (_e, v) => `We adopted ${v}, our new pet.`,
      (_e, v) => `My pet ${v} walked across the keyboard again.`,
      (_e, v) => `Sorry, ${v} (my pet) needed a walk.`,
    ],
    changes: [(_e, v, d) => `On ${d} we brought home a pet called ${v}.`],
    history: (_e, v) => `My parents had a pet called ${v} once.`,
    retraction: {
      canonical: (_e, v) => `The user no longer has the pet ${v}.`,
      wordings: [(_e, v) => `We rehomed ${v} last week, sadly.`, (_e, v) => `${v} passed away in the spring.`],
    },
  },
  {
    id: "trips",
    kind: "fact",
    cardinality: "multi",
    values: ["Iceland", "Patagonia", "Hokkaido", "Zanzibar", "the Dolomites", "Lofoten"],
    canonical: (_e, v) => `The user has a trip planned to ${v}.`,
    wordings: [
      (_e, v) => `I booked a trip to ${v}.`,
      (_e, v) => `Later this year I'm off to ${v}.`,
      (_e, v) => `Remind me to pack boots for ${v}.`,
    ],
    changes: [(_e, v, d) => `On ${d} I booked flights to ${v}.`],
    history: (_e, v) => `I went to ${v} years ago.`,
    retraction: {
      canonical: (_e, v) => `The user cancelled the trip to ${v}.`,
      wordings: [(_e, v) => `I cancelled my trip to ${v}.`, (_e, v) => `The ${v} trip got cancelled.`],
    },
  },
];

/** People who join and leave project teams. */
export const TEAM_NAMES = [
  "Dana",
  "Yusuf",
  "Ines",
  "Mateo",
  "Freya",
  "Kenji",
  "Amara",
  "Lars",
  "Noor",
  "Tobias",
] as const;

/** A project's team: members accumulate, and leave only when someone says so. */
export const TEAM_MEMBERS: AttributeDef = {
  id: "team_members",
  kind: "fact",
  cardinality: "multi",
  values: TEAM_NAMES,
  canonical: (e, v) => `${v} is on the ${e} team.`,
  wordings: [
    (e, v) => `${v} joined the ${e} team this week.`,
    (e, v) => `${v} works on ${e} with us.`,
    (e, v) => `Ping ${v} about ${e}, they're on that team.`,
  ],
  changes: [(e, v, d) => `${v} joined ${e} on ${d}.`],
  history: (e, v) => `${v} helped ${e} during the launch.`,
  retraction: {
    canonical: (e, v) => `${v} left the ${e} team.`,
    wordings: [
      (e, v) => `${v} is no longer on ${e}.`,
      (e, v) => `${v} moved off the ${e} team.`,
      (e, v) => `${v} left ${e} for another group.`,
    ],
  },
};

/** People of the role-swap family. */
export const PEOPLE = [
  "Priya",
  "Tomasz",
  "Ayodele",
  "Sigrid",
  "Rafael",
  "Mei",
  "Oskar",
  "Leilani",
  "Bruno",
  "Zainab",
  "Henrik",
  "Camila",
] as const;

/**
 * Directed relations between two people: "A mentors B" is about A's mentees, "B mentors A" about B's. A person can
 * hold the relation with several people, and both directions can hold at once.
 */
export const RELATIONS: readonly AttributeDef[] = [
  {
    id: "mentors",
    kind: "fact",
    cardinality: "multi",
    values: PEOPLE,
    namespace: "people",
    topic: "team",
    anchor: (e) => `${e} mentors`,
    canonical: (e, v) => `${e} mentors ${v}.`,
    wordings: [
      (e, v) => `Since the reorg, ${e} mentors ${v}.`,
      (e, v) => `FYI ${e} mentors ${v} on the backend side.`,
      (e, v) => `Funny enough, ${e} mentors ${v} now.`,
    ],
    changes: [(e, v, d) => `From ${d}, ${e} mentors ${v}.`],
    history: (e, v) => `${e} and ${v} shared an office years ago.`,
  },
  {
    id: "reviews_for",
    kind: "fact",
    cardinality: "multi",
    values: PEOPLE,
    namespace: "people",
    topic: "team",
    anchor: (e) => `${e} reviews the pull requests of`,
    canonical: (e, v) => `${e} reviews the pull requests of ${v}.`,
    wordings: [
      (e, v) => `Heads-up: ${e} reviews the pull requests of ${v}.`,
      (e, v) => `As agreed, ${e} reviews the pull requests of ${v}.`,
    ],
    changes: [(e, v, d) => `Starting ${d}, ${e} reviews the pull requests of ${v}.`],
    history: (e, v) => `${e} and ${v} wrote the first release together.`,
  },
  {
    id: "covers_oncall_for",
    kind: "fact",
    cardinality: "multi",
    values: PEOPLE,
    namespace: "people",
    topic: "team",
    anchor: (e) => `${e} covers on-call for`,
    canonical: (e, v) => `${e} covers on-call for ${v}.`,
    wordings: [
      (e, v) => `When needed, ${e} covers on-call for ${v}.`,
      (e, v) => `Good to know: ${e} covers on-call for ${v}.`,
    ],
    changes: [(e, v, d) => `As of ${d}, ${e} covers on-call for ${v}.`],
    history: (e, v) => `${e} and ${v} sat on the same rota once.`,
  },
];

/** Servers of the same-template family: `alpha-1` … `alpha-300`. */
export const SERVER_COUNT = 300;

/** The address server `n` starts with (10.0.x.y, unique per server). */
export function serverAddress(n: number): string {
  return `10.0.${Math.floor((n - 1) / 100)}.${((n - 1) % 100) + 10}`;
}

/** The address server `n` moves to when it is re-addressed (10.8.x.y, unique per server). */
export function serverNewAddress(n: number): string {
  return `10.8.${Math.floor((n - 1) / 100)}.${((n - 1) % 100) + 10}`;
}

/** Hundreds of servers described by one template; only the name and the address differ. */
export const SERVER_ADDRESS: AttributeDef = {
  id: "ip_address",
  kind: "fact",
  cardinality: "single",
  values: Array.from({ length: SERVER_COUNT }, (_, i) => [serverAddress(i + 1), serverNewAddress(i + 1)]).flat(),
  namespace: "servers",
  topic: "infrastructure",
  canonical: (e, v) => `Server ${e} has IP address ${v}.`,
  wordings: [
    (e, v) => `Server ${e} has IP address ${v}.`,
    (e, v) => `FYI, ${e} is reachable at ${v}.`,
    (e, v) => `You can ssh into ${e} at ${v}.`,
  ],
  changes: [(e, v, d) => `${e} was re-addressed to ${v} on ${d}.`, (e, v, d) => `New IP for ${e} since ${d}: ${v}.`],
  history: (e, v) => `${e} answered on ${v} before the network rework.`,
};

/** Single-valued project attributes of the families (backfill, chained dreams, compound notes). */
export const FAMILY_PROJECT_ATTRIBUTES: readonly AttributeDef[] = [
  {
    id: "package_manager",
    kind: "fact",
    cardinality: "single",
    values: ["npm", "pnpm", "Yarn", "Bun"],
    canonical: (e, v) => `${e} installs dependencies with ${v}.`,
    wordings: [(e, v) => `Use ${v} for installs in ${e}.`, (e, v) => `${e} is a ${v} workspace.`],
    changes: [
      (e, v, d) => `On ${d} ${e} switched its package manager to ${v}.`,
      (e, v, d) => `Since ${d}, install ${e} deps with ${v}, nothing else.`,
    ],
    history: (e, v) => `${e} had a ${v} lockfile at some point.`,
  },
  {
    id: "error_tracker",
    kind: "fact",
    cardinality: "single",
    values: ["Sentry", "Rollbar", "Bugsnag", "Honeybadger", "Airbrake"],
    canonical: (e, v) => `${e} reports errors to ${v}.`,
    wordings: [(e, v) => `Errors from ${e} show up in ${v}.`, (e, v) => `Check ${v} for ${e} crashes.`],
    changes: [
      (e, v, d) => `${e} error reporting went to ${v} on ${d}.`,
      (e, v, d) => `We pointed ${e} crash reports at ${v} on ${d}.`,
    ],
    history: (e, v) => `${e} used ${v} in the early days.`,
  },
  {
    id: "feature_flags",
    kind: "fact",
    cardinality: "single",
    values: ["LaunchDarkly", "Unleash", "Flagsmith", "GrowthBook", "ConfigCat"],
    canonical: (e, v) => `${e} toggles features with ${v}.`,
    wordings: [(e, v) => `Feature flags for ${e} live in ${v}.`, (e, v) => `Flip the ${e} flag in ${v}.`],
    changes: [
      (e, v, d) => `${e} flags were moved to ${v} on ${d}.`,
      (e, v, d) => `On ${d} we put ${e} on ${v} for feature flags.`,
    ],
    history: (e, v) => `${e} tried ${v} for a sprint.`,
  },
  {
    id: "unit_test_runner",
    kind: "procedure",
    cardinality: "single",
    values: ["Jest", "Vitest", "Mocha", "AVA", "Jasmine"],
    canonical: (e, v) => `${e} unit tests run with ${v}.`,
    wordings: [(e, v) => `We write the ${e} unit tests for ${v}.`, (e, v) => `${e} unit tests use ${v}.`],
    changes: [
      (e, v, d) => `We switched the ${e} unit tests to ${v} on ${d}.`,
      (e, v, d) => `Since ${d} the ${e} unit tests are on ${v}.`,
    ],
    history: (e, v) => `The ${e} unit tests were on ${v} last year.`,
  },
  {
    id: "integration_deps",
    kind: "procedure",
    cardinality: "single",
    values: ["docker compose", "Testcontainers", "a local Kind cluster", "LocalStack"],
    canonical: (e, v) => `${e} integration tests need ${v}.`,
    wordings: [
      (e, v) => `Bring up ${v} before the ${e} integration tests.`,
      (e, v) => `${e} integration tests depend on ${v}.`,
    ],
    changes: [
      (e, v, d) => `Since ${d} the ${e} integration tests need ${v}.`,
      (e, v, d) => `On ${d} we moved the ${e} integration tests onto ${v}.`,
    ],
    history: (e, v) => `The ${e} integration tests needed ${v} back then.`,
  },
  {
    id: "web_host",
    kind: "fact",
    cardinality: "single",
    values: ["Fly.io", "Render", "Heroku", "Vercel", "Netlify"],
    canonical: (e, v) => `${e} web tier is hosted on ${v}.`,
    wordings: [(e, v) => `The ${e} frontend sits on ${v}.`, (e, v) => `${e} web is served from ${v}.`],
    changes: [(e, v, d) => `${e} web moved to ${v} on ${d}.`, (e, v, d) => `From ${d} the ${e} web tier is on ${v}.`],
    history: (e, v) => `${e} web was on ${v} for a while.`,
  },
  {
    id: "job_runner",
    kind: "fact",
    cardinality: "single",
    values: ["Sidekiq", "Celery", "BullMQ", "Temporal", "Oban"],
    canonical: (e, v) => `${e} background jobs run on ${v}.`,
    wordings: [(e, v) => `${e} queues its jobs in ${v}.`, (e, v) => `Async work in ${e} goes through ${v}.`],
    changes: [
      (e, v, d) => `${e} background jobs moved to ${v} on ${d}.`,
      (e, v, d) => `On ${d} we ported the ${e} jobs to ${v}.`,
    ],
    history: (e, v) => `${e} ran jobs on ${v} originally.`,
  },
  {
    id: "log_platform",
    kind: "fact",
    cardinality: "single",
    values: ["Grafana Loki", "Papertrail", "Logtail", "Splunk", "Graylog"],
    canonical: (e, v) => `${e} logs go to ${v}.`,
    wordings: [(e, v) => `Search ${v} for ${e} logs.`, (e, v) => `${e} ships its logs to ${v}.`],
    changes: [
      (e, v, d) => `${e} logging moved to ${v} on ${d}.`,
      (e, v, d) => `On ${d} we switched ${e} logs over to ${v}.`,
    ],
    history: (e, v) => `${e} logs sat in ${v} a while ago.`,
  },
  {
    id: "alerting",
    kind: "fact",
    cardinality: "single",
    values: ["PagerDuty", "Opsgenie", "incident.io", "VictorOps"],
    canonical: (e, v) => `${e} alerts page through ${v}.`,
    wordings: [(e, v) => `${e} pages go out via ${v}.`, (e, v) => `${v} wakes people up for ${e}.`],
    changes: [
      (e, v, d) => `${e} paging moved to ${v} on ${d}.`,
      (e, v, d) => `On ${d} ${e} alerts were rerouted through ${v}.`,
    ],
    history: (e, v) => `${e} paged through ${v} originally.`,
  },
];

/** A memory line stating two subjects of one project in two clauses ("Tests run with Jest; integration …"). */
export interface CompoundNote {
  id: string;
  first: string;
  second: string;
  /** The first clause, naming the project. */
  firstClause: (entity: string, value: string) => string;
  /** The second clause, which leaves the project implied (the note sits in the project's memory). */
  secondClause: (entity: string, value: string) => string;
}

/** The compound notes of the compound family. */
export const COMPOUND_NOTES: readonly CompoundNote[] = [
  {
    id: "testing",
    first: "unit_test_runner",
    second: "integration_deps",
    firstClause: (e, v) => `${e} unit tests run with ${v}`,
    secondClause: (_e, v) => `integration tests need ${v}`,
  },
  {
    id: "hosting",
    first: "web_host",
    second: "job_runner",
    firstClause: (e, v) => `${e} web tier is hosted on ${v}`,
    secondClause: (_e, v) => `background jobs run on ${v}`,
  },
  {
    id: "observability",
    first: "log_platform",
    second: "alerting",
    firstClause: (e, v) => `${e} logs go to ${v}`,
    secondClause: (_e, v) => `alerts page through ${v}`,
  },
];
