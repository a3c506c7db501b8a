import type { Session } from "@nocturne/core";
import { z } from "zod";
import { createRandom, type Random } from "../../lib/random.js";
import { slugOf } from "../attributes.js";
import { estimateTokens } from "../generate.js";
import type { Scenario, SeedMemory, TruthSubject } from "../ground-truth.js";
import { buildSession } from "../session-builder.js";
import { attributeOfSubject, observation, retraction, type Statement, TruthBuilder } from "../truth-builder.js";

/** The resolution families: scenarios that each test one way of keeping the right facts across dreams. */
export const FamilyName = z.enum([
  "multi-valued",
  "role-swaps",
  "distinct-entities",
  "compound",
  "backfill",
  "chained",
]);
export type FamilyName = z.infer<typeof FamilyName>;

/** What a family generator is asked for. */
export interface FamilyOptions {
  seed: number | string;
  /** Approximate transcript size of each session, in tokens (filler pads the statements). */
  tokensPerSession: number;
  /** Time of the first session (after the input store is written). */
  startAt: string;
  countTokens?: (text: string) => number;
}

/**
 * A family's scenario and how to dream it: `chain` lists the sessions of each dream in turn; the first dream reads
 * the input store, each later one the previous dream's output store. With `compareSingle`, the same sessions are
 * also dreamed in one dream over the input store, for comparison.
 */
export interface FamilyScenario {
  family: FamilyName;
  /** One line on what the family tests and how it is built. */
  description: string;
  scenario: Scenario;
  chain: string[][];
  compareSingle: boolean;
}

/** One line of a seeded memory and the facts it states (two for a compound line). */
export interface MemoryLine {
  text: string;
  facts: Array<{ subject: TruthSubject; value: string; quote: string }>;
}

const DAY_MS = 86_400_000;
/** A day between sessions, so dated announcements in different sessions carry different dates. */
const SPACING_MS = DAY_MS;

/** Shared machinery of the family generators: the truth, seeded memories, dated sessions, wordings. */
export class FamilyKit {
  readonly builder = new TruthBuilder();
  readonly random: Random;
  private readonly memories: SeedMemory[] = [];
  private readonly sessions: Session[] = [];
  private readonly usedEntities = new Set<string>();
  private transcriptTokens = 0;

  constructor(
    readonly family: FamilyName,
    readonly options: FamilyOptions,
  ) {
    this.random = createRandom(`${family}|${options.seed}`);
  }

  /** A fresh `<Codename>-<n>` entity name from `codenames`. */
  entity(codenames: readonly string[]): string {
    for (;;) {
      const name = `${this.random.pick(codenames)}-${this.random.int(1, 99)}`;
      if (!this.usedEntities.has(name)) {
        this.usedEntities.add(name);
        return name;
      }
    }
  }

  /** A memory line stating one fact in its canonical words. */
  line(subject: TruthSubject, value: string): MemoryLine {
    const text = attributeOfSubject(subject).canonical(subject.entity ?? "", value);
    return { text, facts: [{ subject, value, quote: text }] };
  }

  /** Seeds a memory of the input store, one bullet per line. */
  memory(path: string, lines: readonly MemoryLine[]): void {
    this.memories.push({ path, content: `${lines.map((line) => `- ${line.text}`).join("\n")}\n` });
    for (const line of lines) {
      for (const fact of line.facts) {
        this.builder.add({
          id: this.builder.nextItemId("mem"),
          type: "observation",
          subjectKey: fact.subject.key,
          value: fact.value,
          act: "store",
          quote: fact.quote,
          source: { type: "memory", path },
          order: 0,
        });
      }
    }
  }

  /** The date (YYYY-MM-DD) of the session at `index` on the timeline. */
  dateOf(index: number): string {
    const at = Date.parse(this.options.startAt) + index * SPACING_MS;
    return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  }

  /** The date (YYYY-MM-DD) of the next session. */
  nextDate(): string {
    return this.dateOf(this.sessions.length);
  }

  /** The next session on the timeline (later than every session before it), holding `statements`. */
  session(statements: Statement[]): string {
    const index = this.sessions.length;
    const tag =
      String(this.options.seed)
        .replace(/[^a-z0-9]/gi, "")
        .slice(0, 8) || "0";
    const id = `sesn_${this.family.replace(/-/g, "")}${tag}_${String(index + 1).padStart(3, "0")}`;
    const createdAt = Date.parse(this.options.startAt) + index * SPACING_MS;
    const random = this.random.fork(`session-${index}`);
    const built = buildSession(
      random.fork("events"),
      this.builder,
      { id, index, createdAt, title: `${this.family} session ${index + 1}` },
      random.shuffle(statements),
      this.options.tokensPerSession,
      this.options.countTokens ?? estimateTokens,
    );
    this.sessions.push(built.session);
    this.transcriptTokens += built.tokens;
    return id;
  }

  /** A user's statement adding or restating `value` in one of the attribute's wordings. */
  say(subject: TruthSubject, value: string, act: "introduce" | "restate", role: "user" | "agent" = "user"): Statement {
    const sentence = this.random.pick(attributeOfSubject(subject).wordings)(subject.entity ?? "", value);
    return observation(this.builder, subject, value, act, sentence, role);
  }

  /** A dated announcement that `subject` now holds `value`. */
  change(subject: TruthSubject, value: string, date: string): Statement {
    const sentence = this.random.pick(attributeOfSubject(subject).changes)(subject.entity ?? "", value, date);
    return observation(this.builder, subject, value, "change", sentence, "user");
  }

  /** An explicit removal of `value` from a `multi` subject. */
  retract(subject: TruthSubject, value: string): Statement {
    const wordings = attributeOfSubject(subject).retraction?.wordings ?? [];
    if (wordings.length === 0) throw new Error(`${subject.attribute} has no retraction wordings`);
    return retraction(this.builder, subject, value, this.random.pick(wordings)(subject.entity ?? "", value));
  }

  /** The finished family scenario. */
  finish(description: string, chain?: string[][], compareSingle = false): FamilyScenario {
    const sessionIds = this.sessions.map((session) => session.id);
    return {
      family: this.family,
      description,
      scenario: {
        options: {
          seed: this.options.seed,
          sessions: this.sessions.length,
          tokensPerSession: this.options.tokensPerSession,
          memories: this.memories.length,
          startAt: this.options.startAt,
        },
        memories: this.memories,
        sessions: this.sessions,
        truth: this.builder.truth,
        transcriptTokens: this.transcriptTokens,
      },
      chain: chain ?? [sessionIds],
      compareSingle,
    };
  }
}

/** The path of a project's memory about `name`. */
export function projectPath(entity: string, name: string): string {
  return `/projects/${slugOf(entity)}/${name}.md`;
}
