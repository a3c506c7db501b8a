import { attributeById } from "../attributes.js";
import { COMPOUND_NOTES, FAMILY_CODENAMES } from "../family-vocabulary.js";
import type { TruthSubject } from "../ground-truth.js";
import type { Statement } from "../truth-builder.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario, projectPath } from "./kit.js";

const PROJECTS = 12;
const UPDATED = 9;
const SESSIONS = 3;

/**
 * Compound statements: a memory line with two clauses about one project ("Orchid-12 unit tests run with Jest;
 * integration tests need docker compose"). Later sessions update one clause of nine of the twelve notes ("We
 * switched the Orchid-12 unit tests to Vitest"); the other clause must survive and the old value must go. Three
 * notes are never touched.
 */
export function compoundFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("compound", options);
  const random = kit.random.fork("plan");
  const updates: Array<{ subject: TruthSubject; value: string }> = [];
  for (let p = 0; p < PROJECTS; p++) {
    const entity = kit.entity(FAMILY_CODENAMES);
    const note = COMPOUND_NOTES[p % COMPOUND_NOTES.length] ?? (COMPOUND_NOTES[0] as (typeof COMPOUND_NOTES)[number]);
    const firstDef = attributeById(note.first);
    const secondDef = attributeById(note.second);
    const first = kit.builder.subject(entity, firstDef);
    const second = kit.builder.subject(entity, secondDef);
    const firstValue = random.pick(firstDef.values);
    const secondValue = random.pick(secondDef.values);
    const firstClause = note.firstClause(entity, firstValue);
    const secondClause = note.secondClause(entity, secondValue);
    kit.memory(projectPath(entity, note.id), [
      {
        text: `${firstClause}; ${secondClause}.`,
        facts: [
          { subject: first, value: firstValue, quote: firstClause },
          { subject: second, value: secondValue, quote: secondClause },
        ],
      },
    ]);
    if (p >= UPDATED) continue;
    const [subject, def, old] = p % 2 === 0 ? [first, firstDef, firstValue] : [second, secondDef, secondValue];
    updates.push({ subject, value: random.pick(def.values.filter((value) => value !== old)) });
  }
  const shuffled = random.shuffle(updates);
  const perSession = Math.ceil(shuffled.length / SESSIONS);
  for (let s = 0; s < SESSIONS; s++) {
    const date = kit.nextDate();
    const statements: Statement[] = shuffled
      .slice(s * perSession, (s + 1) * perSession)
      .map((update) => kit.change(update.subject, update.value, date));
    kit.session(statements);
  }
  return kit.finish(
    `compound notes: ${PROJECTS} two-clause memory lines, one clause of ${UPDATED} updated over ${SESSIONS} sessions × ${Math.round(options.tokensPerSession / 1000)}k tokens, perfect replay, seed ${options.seed}`,
  );
}
