import type { SessionEvent } from "@nocturne/core";
import type { Random } from "../lib/random.js";
import { FILLER } from "./vocabulary.js";

/** Makes event ids and timestamps for one session, in order. */
export interface EventClock {
  nextId(): string;
  nextAt(): string;
}

function sentence(random: Random): string {
  return `${capitalize(random.pick(FILLER.subjects))} ${random.pick(FILLER.verbs)} ${random.pick(FILLER.objects)}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A line of chit-chat that states nothing worth remembering. */
export function fillerSentence(random: Random): string {
  return sentence(random);
}

/** One line of made-up TypeScript, indented as in a function body. */
export function codeLine(random: Random): string {
  const a = random.pick(FILLER.codeWords);
  const b = random.pick(FILLER.codeWords);
  const c = random.pick(FILLER.codeWords);
  switch (random.int(0, 3)) {
    case 0:
      return `  const ${a} = ${b}.map((${c}) => ${c}.${a});`;
    case 1:
      return `  if (!${a}) return ${b};`;
    case 2:
      return `  for (const ${c} of ${b}) ${a}.push(${c});`;
    default:
      return `  // ${random.pick(FILLER.subjects)} ${random.pick(FILLER.verbs)} ${random.pick(FILLER.objects)}`;
  }
}

/** One made-up `[info]` log line. */
export function logLine(random: Random): string {
  return `[info] ${random.pick(FILLER.logWords)} ${random.pick(FILLER.pathWords)}/${random.pick(FILLER.pathWords)}.ts in ${random.int(1, 900)} ms`;
}

function text(text: string) {
  return [{ type: "text" as const, text }];
}

/**
 * One block of filler conversation: a question and an answer, or a tool call with its (large) result. Returns the
 * events and their rendered text, for sizing.
 */
export function fillerBlock(random: Random, clock: EventClock): { events: SessionEvent[]; text: string } {
  const choice = random.next();
  if (choice < 0.35) {
    const ask = `${random.pick(FILLER.asks)} ${random.pick(FILLER.subjects)}? ${sentence(random)}`;
    const answerLines = Array.from({ length: random.int(2, 6) }, () => sentence(random));
    const answer = `${answerLines.join(" ")} I will add a guard and a test for it.`;
    return {
      events: [
        { id: clock.nextId(), type: "user.message", processed_at: clock.nextAt(), content: text(ask) },
        { id: clock.nextId(), type: "agent.message", processed_at: clock.nextAt(), content: text(answer) },
      ],
      text: `${ask}\n${answer}`,
    };
  }
  const useId = clock.nextId();
  const useAt = clock.nextAt();
  if (choice < 0.7) {
    const path = `src/${random.pick(FILLER.pathWords)}/${random.pick(FILLER.pathWords)}.ts`;
    const body = [
      `export function ${random.pick(FILLER.codeWords)}Of(${random.pick(FILLER.codeWords)}) {`,
      ...Array.from({ length: random.int(20, 80) }, () => codeLine(random)),
      "}",
    ].join("\n");
    return {
      events: [
        { id: useId, type: "agent.tool_use", processed_at: useAt, name: "read_file", input: { path } },
        {
          id: clock.nextId(),
          type: "agent.tool_result",
          processed_at: clock.nextAt(),
          tool_use_id: useId,
          content: text(body),
        },
      ],
      text: `${path}\n${body}`,
    };
  }
  const body = Array.from({ length: random.int(20, 120) }, () => logLine(random)).join("\n");
  const events: SessionEvent[] = [
    {
      id: useId,
      type: "agent.tool_use",
      processed_at: useAt,
      name: "run_suite",
      input: { filter: random.pick(FILLER.pathWords) },
    },
    { id: clock.nextId(), type: "agent.tool_result", processed_at: clock.nextAt(), tool_use_id: useId, content: body },
  ];
  if (random.chance(0.2))
    events.push({ id: clock.nextId(), type: "session.status_idle", processed_at: clock.nextAt() });
  return { events, text: body };
}
