import type { Chunk, ConsolidationModel } from "@nocturne/core";
import type { ReplayCore, ReplayLine } from "./replay-core.js";

/** Options of {@link createReplayModel}. */
export interface ReplayModelOptions {
  /** Recorded as the dream's model id. Default `replay-perfect` or `replay-noisy`. */
  id?: string;
  /** Counts tokens for the usage each call reports. Default: characters / 4. */
  countTokens?: (text: string) => number;
}

/**
 * A ConsolidationModel answering straight from a replay core, with no prompts in between: the fastest way to run the
 * engine on a scenario. Usage counts the text it was shown and the JSON it returned (no prompt overhead; use the
 * replay language model under `createLlmConsolidationModel` for realistic token counts).
 */
export function createReplayModel(core: ReplayCore, options: ReplayModelOptions = {}): ConsolidationModel {
  const count = options.countTokens ?? ((text: string) => Math.ceil(text.length / 4));
  const noisy = Object.values(core.profile).some((rate) => rate > 0);
  return {
    id: options.id ?? (noisy ? "replay-noisy" : "replay-perfect"),
    offline: true,
    async extract(source, context) {
      const facts =
        source.type === "transcript"
          ? bySession(source.chunk).flatMap(({ sourceKey, lines }) => core.extractTranscript(sourceKey, lines, 0))
          : core.extractMemories(source.memories, 0);
      const shown =
        source.type === "transcript"
          ? source.chunk.lines.map((line) => line.text).join("\n")
          : source.memories.map((memory) => memory.content).join("\n");
      context.reportUsage({ input_tokens: count(shown), output_tokens: count(JSON.stringify(facts)) });
      return facts;
    },
    async judge(pairs, context) {
      const verdicts = core.judge(pairs);
      context.reportUsage({
        input_tokens: count(JSON.stringify(pairs)),
        output_tokens: count(JSON.stringify(verdicts)),
      });
      return verdicts;
    },
    async synthesize(facts, context) {
      const insights = core.synthesize(facts, 0);
      context.reportUsage({
        input_tokens: count(JSON.stringify(facts)),
        output_tokens: count(JSON.stringify(insights)),
      });
      return insights;
    },
  };
}

/**
 * A chunk's lines by session, each with the key that seeds its noise: the chunk's own, or for a chunk packing several
 * short sessions, the key each session's chunk would have alone (`<session>#0`), as the language-level replay does.
 */
function bySession(chunk: Chunk): Array<{ sourceKey: string; lines: ReplayLine[] }> {
  const groups = new Map<string, ReplayLine[]>();
  for (const line of chunk.lines) {
    const lines = groups.get(line.sessionId) ?? [];
    lines.push({ eventId: line.eventId, text: line.text });
    groups.set(line.sessionId, lines);
  }
  if (groups.size <= 1) return [{ sourceKey: chunk.key, lines: [...groups.values()].flat() }];
  return [...groups].map(([sessionId, lines]) => ({ sourceKey: `${sessionId}#0`, lines }));
}
