import type { Phrase } from "./vocabulary.js";

/**
 * Paraphrases of the base attributes (`vocabulary.ts`) for the `reworded` extractor, which states every update in
 * words the base templates never use: only the entity and the value are shared with the transcript, the canonical
 * statement and every other wording. A test checks that the two vocabularies share no word.
 */
export const PARAPHRASES: Readonly<Record<string, readonly Phrase[]>> = {
  deploy_region: [
    (e, v) => `${e} hosting relocated → ${v}.`,
    (e, v) => `${e}: production footprint shifted toward ${v}.`,
  ],
  database: [(e, v) => `${e} persistence layer: ${v}.`, (e, v) => `${v} backs ${e} nowadays.`],
  language: [(e, v) => `${e} implementation: ${v}.`, (e, v) => `${v} powers ${e}.`],
  ci: [(e, v) => `${e} continuous integration: ${v}.`, (e, v) => `${v} handles ${e} merges.`],
  test_command: [(e, v) => `${e} verification: \`${v}\`.`, (e, v) => `Invoke \`${v}\` → ${e} checks pass.`],
  owner: [(e, v) => `${e} stewards: ${v}.`, (e, v) => `${v} maintains ${e}.`],
  release_cadence: [(e, v) => `${e} cadence → ${v}.`, (e, v) => `${e}: shipping schedule, ${v}.`],
  indentation: [(_e, v) => `Personally favouring ${v} these days.`, (_e, v) => `Formatting wish: ${v}.`],
  answer_style: [(_e, v) => `Replies should be ${v}.`, (_e, v) => `Ideal responses: ${v}.`],
  home_city: [(_e, v) => `Residence: ${v}.`, (_e, v) => `Hometown these days — ${v}.`],
  commit_style: [(_e, v) => `Preferred changelog convention: ${v}.`, (_e, v) => `Git history: ${v}, consistently.`],
  editor: [(_e, v) => `Daily driver → ${v}.`, (_e, v) => `Typing happens inside ${v}.`],
};
