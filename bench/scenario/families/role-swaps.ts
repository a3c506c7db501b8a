import { PEOPLE, RELATIONS } from "../family-vocabulary.js";
import type { TruthSubject } from "../ground-truth.js";
import type { Statement } from "../truth-builder.js";
import type { AttributeDef } from "../vocabulary.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario } from "./kit.js";

const SESSIONS = 4;
const STORE_RELATIONS = 8;

interface Relation {
  def: AttributeDef;
  from: string;
  to: string;
}

/**
 * Role swaps: "Priya mentors Tomasz" in the store, and in a later session "Tomasz mentors Priya" — the same words,
 * the same two names, a different fact. Both must survive and never be merged. Every relation (eight in the store,
 * more introduced in the sessions) is swapped by the last session; some are restated.
 */
export function roleSwapsFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("role-swaps", options);
  const random = kit.random.fork("plan");
  const held = new Set<string>();
  const id = (def: AttributeDef, a: string, b: string) => `${def.id}|${a}|${b}`;
  const subjectOf = (relation: Relation): TruthSubject => kit.builder.subject(relation.from, relation.def);
  const fresh = (): Relation => {
    for (;;) {
      const def = random.pick(RELATIONS);
      const [from, to] = random.shuffle(PEOPLE).slice(0, 2) as [string, string];
      if (held.has(id(def, from, to)) || held.has(id(def, to, from))) continue;
      held.add(id(def, from, to));
      return { def, from, to };
    }
  };

  const unswapped: Relation[] = [];
  const swapped: Relation[] = [];
  const stored = Array.from({ length: STORE_RELATIONS }, fresh);
  for (const def of RELATIONS) {
    const lines = stored.filter((relation) => relation.def === def);
    if (lines.length === 0) continue;
    kit.memory(
      `/team/${def.id.replace(/_/g, "-")}.md`,
      lines.map((relation) => kit.line(subjectOf(relation), relation.to)),
    );
  }
  unswapped.push(...stored);

  for (let s = 0; s < SESSIONS; s++) {
    const statements: Statement[] = [];
    const introduced: Relation[] = [];
    if (s < SESSIONS - 1) {
      for (let n = random.int(1, 2); n > 0; n--) {
        const relation = fresh();
        introduced.push(relation);
        statements.push(kit.say(subjectOf(relation), relation.to, "introduce"));
      }
    }
    const due = Math.ceil(unswapped.length / (SESSIONS - s));
    for (const relation of random.shuffle(unswapped).slice(0, due)) {
      unswapped.splice(unswapped.indexOf(relation), 1);
      const reverse: Relation = { def: relation.def, from: relation.to, to: relation.from };
      held.add(id(reverse.def, reverse.from, reverse.to));
      swapped.push(relation, reverse);
      statements.push(kit.say(subjectOf(reverse), reverse.to, "introduce"));
    }
    if (swapped.length > 0) {
      const relation = random.pick(swapped);
      statements.push(kit.say(subjectOf(relation), relation.to, "restate", "agent"));
    }
    unswapped.push(...introduced);
    kit.session(statements);
  }
  return kit.finish(
    `role swaps (mentors, reviews the pull requests of, covers on-call for): ${STORE_RELATIONS} stored relations and more from sessions, each later stated the other way round, ${SESSIONS} sessions × ${Math.round(options.tokensPerSession / 1000)}k tokens, perfect replay, seed ${options.seed}`,
  );
}
