import { FAMILY_CODENAMES, TEAM_MEMBERS, USER_SET_ATTRIBUTES } from "../family-vocabulary.js";
import { currentValues, type TruthSubject } from "../ground-truth.js";
import type { Statement } from "../truth-builder.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario, projectPath } from "./kit.js";

const SESSIONS = 6;
const PROJECTS = 5;

/**
 * Multi-valued attributes: the user's hobbies, spoken languages, pets and planned trips, and five project teams.
 * The store holds two or three members of each set; six sessions add members, restate some, and explicitly
 * retract others ("I gave up chess last month", "Dana left the Orchid-12 team"). Every current member must be in
 * the output; a retracted member stated as current is stale; a new member never replaces another.
 */
export function multiValuedFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("multi-valued", options);
  const random = kit.random.fork("plan");
  const subjects: TruthSubject[] = USER_SET_ATTRIBUTES.map((attribute) => kit.builder.subject(null, attribute));
  for (const subject of subjects) {
    const def = USER_SET_ATTRIBUTES.find((attribute) => attribute.id === subject.attribute);
    const members = random.shuffle(def?.values ?? []).slice(0, random.int(2, 3));
    kit.memory(
      `/profile/${subject.attribute}.md`,
      members.map((value) => kit.line(subject, value)),
    );
  }
  for (let p = 0; p < PROJECTS; p++) {
    const entity = kit.entity(FAMILY_CODENAMES);
    const subject = kit.builder.subject(entity, TEAM_MEMBERS);
    subjects.push(subject);
    const members = random.shuffle(TEAM_MEMBERS.values).slice(0, 3);
    kit.memory(
      projectPath(entity, "team"),
      members.map((value) => kit.line(subject, value)),
    );
  }

  const valuesOf = (subject: TruthSubject) =>
    subject.entity === null
      ? (USER_SET_ATTRIBUTES.find((attribute) => attribute.id === subject.attribute)?.values ?? [])
      : TEAM_MEMBERS.values;
  for (let s = 0; s < SESSIONS; s++) {
    const statements: Statement[] = [];
    const touched = new Set<string>();
    const take = (subject: TruthSubject, value: string) => touched.add(`${subject.key}=${value}`);
    const free = (subject: TruthSubject, value: string) => !touched.has(`${subject.key}=${value}`);
    for (let n = random.int(2, 3); n > 0; n--) {
      const subject = random.pick(subjects);
      const fresh = valuesOf(subject).filter((value) => !subject.memberStates.has(value) && free(subject, value));
      if (fresh.length === 0) continue;
      const value = random.pick(fresh);
      take(subject, value);
      statements.push(kit.say(subject, value, "introduce"));
    }
    for (let n = random.int(1, 2); n > 0; n--) {
      const candidates = subjects.filter((subject) => currentValues(subject).length >= 2);
      if (candidates.length === 0) break;
      const subject = random.pick(candidates);
      const members = currentValues(subject).filter((value) => free(subject, value));
      if (members.length === 0) continue;
      const value = random.pick(members);
      take(subject, value);
      statements.push(kit.retract(subject, value));
    }
    for (let n = random.int(1, 2); n > 0; n--) {
      const subject = random.pick(subjects);
      const members = currentValues(subject).filter((value) => free(subject, value));
      if (members.length === 0) continue;
      const value = random.pick(members);
      take(subject, value);
      statements.push(kit.say(subject, value, "restate", random.chance(0.3) ? "agent" : "user"));
    }
    kit.session(statements);
  }
  return kit.finish(
    `multi-valued sets (hobbies, spoken languages, pets, trips, ${PROJECTS} teams): members added and retracted over ${SESSIONS} sessions × ${Math.round(options.tokensPerSession / 1000)}k tokens, perfect replay, seed ${options.seed}`,
  );
}
