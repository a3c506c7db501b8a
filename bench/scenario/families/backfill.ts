import { FAMILY_CODENAMES, FAMILY_PROJECT_ATTRIBUTES, TEAM_MEMBERS } from "../family-vocabulary.js";
import { currentValues, type TruthSubject } from "../ground-truth.js";
import type { Statement } from "../truth-builder.js";
import type { AttributeDef } from "../vocabulary.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario, projectPath } from "./kit.js";

const PROJECTS = 8;
const OLDER = 3;
const NEWER = 3;

/**
 * Backfill: older sessions dreamed after newer ones. Dream 1 reads the store and the three newer sessions; dream 2
 * reads dream 1's output and the three older sessions. Whatever the older sessions say about a subject the newer
 * ones changed must lose (the newer value wins), while what only the older sessions say must land. Teams cover the
 * same for sets: a member added in an older session and removed in a newer one stays out; a member removed in an
 * older session and back in a newer one stays in.
 */
export function backfillFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("backfill", options);
  const random = kit.random.fork("plan");
  const singles: TruthSubject[] = [];
  const spare: Array<{ entity: string; def: AttributeDef }> = [];
  const teams: TruthSubject[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const entity = kit.entity(FAMILY_CODENAMES);
    const defs = random.shuffle(FAMILY_PROJECT_ATTRIBUTES);
    const stored = defs.slice(0, 2).map((def) => kit.builder.subject(entity, def));
    singles.push(...stored);
    spare.push({ entity, def: defs[2] as AttributeDef });
    const lines = stored.map((subject, index) => kit.line(subject, random.pick((defs[index] as AttributeDef).values)));
    if (p < 3) {
      const team = kit.builder.subject(entity, TEAM_MEMBERS);
      teams.push(team);
      for (const value of random.shuffle(TEAM_MEMBERS.values).slice(0, 3)) lines.push(kit.line(team, value));
    }
    kit.memory(projectPath(entity, "stack"), lines);
  }

  const older: Statement[][] = Array.from({ length: OLDER }, () => []);
  const newer: Statement[][] = Array.from({ length: NEWER }, () => []);
  const olderDates = Array.from({ length: OLDER }, (_, s) => kit.dateOf(s));
  const newerDates = Array.from({ length: NEWER }, (_, s) => kit.dateOf(OLDER + s));
  const place = (group: Statement[][], make: (slot: number) => Statement) => {
    const slot = random.int(0, group.length - 1);
    (group[slot] as Statement[]).push(make(slot));
  };
  const otherValue = (subject: TruthSubject, not: readonly string[]) =>
    random.pick(
      FAMILY_PROJECT_ATTRIBUTES.find((def) => def.id === subject.attribute)?.values.filter(
        (value) => !not.includes(value),
      ) ?? [],
    );

  const [both, olderOnly, newerOnly, restated] = [6, 4, 3, 2].reduce<TruthSubject[][]>((groups, size) => {
    const taken = groups.flat();
    groups.push(random.shuffle(singles.filter((subject) => !taken.includes(subject))).slice(0, size));
    return groups;
  }, []) as [TruthSubject[], TruthSubject[], TruthSubject[], TruthSubject[]];
  for (const subject of both) {
    const v1 = otherValue(subject, [subject.current]);
    const v2 = otherValue(subject, [subject.current, v1]);
    place(older, (slot) => kit.change(subject, v1, olderDates[slot] as string));
    place(newer, (slot) => kit.change(subject, v2, newerDates[slot] as string));
  }
  for (const subject of olderOnly) {
    const v1 = otherValue(subject, [subject.current]);
    place(older, (slot) => kit.change(subject, v1, olderDates[slot] as string));
  }
  for (const subject of newerOnly) {
    const v2 = otherValue(subject, [subject.current]);
    place(newer, (slot) => kit.change(subject, v2, newerDates[slot] as string));
  }
  for (const subject of restated) place(newer, () => kit.say(subject, subject.current, "restate"));
  for (const { entity, def } of spare.slice(0, 3)) {
    const subject = kit.builder.subject(entity, def);
    place(older, () => kit.say(subject, random.pick(def.values), "introduce"));
  }
  const [joinsThenLeaves, leavesThenRejoins, joinsOnly] = teams as [TruthSubject, TruthSubject, TruthSubject];
  const newcomer = (team: TruthSubject) =>
    random.pick(TEAM_MEMBERS.values.filter((value) => !currentValues(team).includes(value)));
  const transient = newcomer(joinsThenLeaves);
  place(older, () => kit.say(joinsThenLeaves, transient, "introduce"));
  place(newer, () => kit.retract(joinsThenLeaves, transient));
  const returning = random.pick(currentValues(leavesThenRejoins));
  place(older, () => kit.retract(leavesThenRejoins, returning));
  place(newer, () => kit.say(leavesThenRejoins, returning, "introduce"));
  const joiner = newcomer(joinsOnly);
  place(older, () => kit.say(joinsOnly, joiner, "introduce"));

  const olderIds = older.map((statements) => kit.session(statements));
  const newerIds = newer.map((statements) => kit.session(statements));
  return kit.finish(
    `backfill: dream 1 reads the store and ${NEWER} newer sessions, dream 2 its output and ${OLDER} older sessions (${PROJECTS} projects, teams included), ${Math.round(options.tokensPerSession / 1000)}k tokens per session, perfect replay, seed ${options.seed}`,
    [newerIds, olderIds],
  );
}
