import type { Random } from "../lib/random.js";

/**
 * How a noisy extractor errs, as probabilities per extracted fact (or per pair, per insight). Every error is one a
 * real language model makes; the perfect extractor is the profile with every rate at zero.
 */
export interface NoiseProfile {
  /** The subject key is reworded (synonym, dropped namespace, other separators). */
  keyParaphrase: number;
  /** The statement is reworded (the markers — project and value — survive). */
  statementParaphrase: number;
  /** One fact comes out as two, with different keys and wordings. */
  split: number;
  /** Two facts of the same chunk come out as one statement under one key. */
  merge: number;
  /**
   * The evidence is wrong: a quote that is not in the event, or an event id that is not in the chunk. Asked again with
   * the engine's feedback, the model answers afresh: the citation is wrong again at the same rate (a new draw per
   * attempt), else right.
   */
  badEvidence: number;
  /** Durable facts labelled transient, or noise labelled as a lasting fact. */
  kindError: number;
  /** A mention of a superseded value ("used to run in …") read as the current value. */
  historyMisread: number;
  /** A judgement on an ambiguous pair comes out the wrong way. */
  judgeError: number;
  /** Per synthesis call: an extra insight proposed from a single session. */
  unsupportedInsight: number;
  /** Per judged pair about two different subjects: the judge wrongly says "same" (on top of `judgeError`). */
  judgeFalseSame: number;
  /**
   * Per update (a fact announcing a changed value): the statement is paraphrased with words the base templates never
   * use (`bench/scenario/paraphrase-vocabulary.ts`), so only the entity and the value link it to the older value.
   */
  updateParaphrase: number;
}

/** Every rate at zero: the perfect extractor. */
export const PERFECT: NoiseProfile = {
  keyParaphrase: 0,
  statementParaphrase: 0,
  split: 0,
  merge: 0,
  badEvidence: 0,
  kindError: 0,
  historyMisread: 0,
  judgeError: 0,
  unsupportedInsight: 0,
  judgeFalseSame: 0,
  updateParaphrase: 0,
};

/** The default noisy extractor: roughly what a mid-sized model does without few-shot examples. */
export const NOISY: NoiseProfile = {
  keyParaphrase: 0.3,
  statementParaphrase: 0.5,
  split: 0.05,
  merge: 0.05,
  badEvidence: 0.05,
  kindError: 0.03,
  historyMisread: 0.3,
  judgeError: 0.05,
  unsupportedInsight: 0.3,
  judgeFalseSame: 0,
  updateParaphrase: 0,
};

/** Every rate of a profile multiplied by `factor`, capped at 1. */
export function scaleProfile(profile: NoiseProfile, factor: number): NoiseProfile {
  const scaled = { ...profile };
  for (const name of Object.keys(scaled) as Array<keyof NoiseProfile>)
    scaled[name] = Math.min(1, profile[name] * factor);
  return scaled;
}

/** The noisy extractor's errors at 1.5× their rates, and every update reworded in vocabulary of its own. */
export const REWORDED: NoiseProfile = { ...scaleProfile(NOISY, 1.5), updateParaphrase: 1 };

/** The noisy extractor with a judge that wrongly says "same" for 20% of pairs about different subjects. */
export const EAGER_JUDGE: NoiseProfile = { ...NOISY, judgeFalseSame: 0.2 };

/** The replay extractors the bench reports, by name. */
export const EXTRACTOR_PROFILES = {
  perfect: PERFECT,
  noisy: NOISY,
  reworded: REWORDED,
  "eager-judge": EAGER_JUDGE,
} as const satisfies Record<string, NoiseProfile>;

/** A replay extractor's name. */
export type ExtractorName = keyof typeof EXTRACTOR_PROFILES;

const KEY_SYNONYMS: Record<string, readonly string[]> = {
  deploy_region: ["region", "deployment_region", "deploy_target"],
  database: ["db", "datastore", "primary_database"],
  language: ["lang", "programming_language"],
  ci: ["ci_provider", "build_system"],
  test_command: ["test_cmd", "how_to_test"],
  owner: ["owning_team", "team"],
  release_cadence: ["releases", "release_schedule"],
  indentation: ["indent_style", "code_indentation"],
  answer_style: ["response_format", "answer_format"],
  home_city: ["location", "city"],
  commit_style: ["commit_messages", "commit_convention"],
  editor: ["code_editor", "ide"],
};

/** A reworded subject key, as a model that does not follow the key convention would write it. */
export function paraphraseKey(key: string, random: Random): string {
  const parts = key.split(".");
  const attribute = parts.at(-1) ?? key;
  const synonym = random.pick(KEY_SYNONYMS[attribute] ?? [attribute]);
  const rest = parts.slice(0, -1);
  switch (random.int(0, 3)) {
    case 0:
      return [...rest, synonym].join(".");
    case 1:
      return [...rest.slice(1), attribute].join(".");
    case 2:
      return `${rest.slice(1).join(" ")} ${synonym.replace(/_/g, " ")}`.trim();
    default:
      return [...rest.map((part) => part.replace(/-/g, "")), synonym.replace(/_/g, "-")].join(".");
  }
}
