import {
  FAMILY_CODENAMES,
  FAMILY_PROJECT_ATTRIBUTES,
  TEAM_MEMBERS,
  USER_SET_ATTRIBUTES,
} from "../family-vocabulary.js";
import { currentValues, type TruthSubject } from "../ground-truth.js";
import type { Statement } from "../truth-builder.js";
import type { AttributeDef } from "../vocabulary.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario, projectPath } from "./kit.js";

const SESSIONS = 10;
const PROJECTS = 6;

/**
 * Ten chained dreams against one: ten sessions of changes, new facts, set members added and retracted, and
 * restatements. The chain dreams each session alone over the previous dream's output; the single dream reads all ten
 * over the input store. Both must end with the same current values (and the truth's).
 */
export function chainedFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("chained", options);
  const random = kit.random.fork("plan");
  const singles: TruthSubject[] = [];
  const unset: Array<{ entity: string; def: AttributeDef }> = [];
  const sets: TruthSubject[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const entity = kit.entity(FAMILY_CODENAMES);
    const defs = random.shuffle(FAMILY_PROJECT_ATTRIBUTES);
    const stored = defs.slice(0, 2).map((def) => kit.builder.subject(entity, def));
    singles.push(...stored);
    for (const def of defs.slice(2, 4)) unset.push({ entity, def });
    const lines = stored.map((subject, index) => kit.line(subject, random.pick((defs[index] as AttributeDef).values)));
    if (p < 3) {
      const team = kit.builder.subject(entity, TEAM_MEMBERS);
      sets.push(team);
      for (const value of random.shuffle(TEAM_MEMBERS.values).slice(0, 3)) lines.push(kit.line(team, value));
    }
    kit.memory(projectPath(entity, "stack"), lines);
  }
  for (const def of USER_SET_ATTRIBUTES.slice(0, 2)) {
    const subject = kit.builder.subject(null, def);
    sets.push(subject);
    kit.memory(
      `/profile/${def.id}.md`,
      random
        .shuffle(def.values)
        .slice(0, 2)
        .map((value) => kit.line(subject, value)),
    );
  }
  const valuesOf = (subject: TruthSubject) =>
    [...FAMILY_PROJECT_ATTRIBUTES, TEAM_MEMBERS, ...USER_SET_ATTRIBUTES].find((def) => def.id === subject.attribute)
      ?.values ?? [];

  const ids: string[] = [];
  const pending = random.shuffle(unset);
  for (let s = 0; s < SESSIONS; s++) {
    const date = kit.nextDate();
    const statements: Statement[] = [];
    const touched = new Set<string>();
    for (const subject of random.shuffle(singles).slice(0, 2)) {
      touched.add(subject.key);
      const value = random.pick(valuesOf(subject).filter((candidate) => candidate !== subject.current));
      statements.push(kit.change(subject, value, date));
    }
    const next = pending.shift();
    if (next) {
      const subject = kit.builder.subject(next.entity, next.def);
      touched.add(subject.key);
      statements.push(kit.say(subject, random.pick(next.def.values), "introduce"));
      singles.push(subject);
    }
    const grow = random.pick(sets);
    const fresh = valuesOf(grow).filter((value) => !grow.memberStates.has(value));
    if (fresh.length > 0) {
      const value = random.pick(fresh);
      touched.add(`${grow.key}=${value}`);
      statements.push(kit.say(grow, value, "introduce"));
    }
    const shrinkable = sets.filter((subject) => currentValues(subject).length >= 2);
    if (s > 0 && shrinkable.length > 0) {
      const shrink = random.pick(shrinkable);
      const members = currentValues(shrink).filter((value) => !touched.has(`${shrink.key}=${value}`));
      if (members.length > 0) {
        const value = random.pick(members);
        touched.add(`${shrink.key}=${value}`);
        statements.push(kit.retract(shrink, value));
      }
    }
    const steady = singles.filter((subject) => !touched.has(subject.key) && subject.current !== "");
    if (steady.length > 0) {
      const subject = random.pick(steady);
      statements.push(kit.say(subject, subject.current, "restate", "agent"));
    }
    ids.push(kit.session(statements));
  }
  return kit.finish(
    `${SESSIONS} sessions × ${Math.round(options.tokensPerSession / 1000)}k tokens of changes, new facts and set members added and retracted (${PROJECTS} projects), dreamed as ${SESSIONS} chained dreams and as one, perfect replay, seed ${options.seed}`,
    ids.map((id) => [id]),
    true,
  );
}
