import { z } from "zod";
import { NocturneError } from "../../errors.js";
import type { ConsolidationModel } from "../../ports/consolidation-model.js";
import { createPacer } from "../../util/pacer.js";
import { extractFromMemories } from "./extract-memories.js";
import { extractFromTranscript } from "./extract-transcript.js";
import { parseInstructions } from "./instructions.js";
import { judgePairs } from "./judge-rules.js";
import { synthesizeInsights } from "./synthesize-rules.js";

/** The id the offline model records as a dream's `model.id`. */
export const OFFLINE_MODEL_ID = "offline";

/** Options of {@link createOfflineConsolidationModel}; every field is optional. */
export const OfflineModelOptions = z.strictObject({
  /** Most insights one synthesis proposes. Default 12. */
  maxInsights: z.number().int().min(0).max(100).default(12),
  /** Sessions a preference or rule must be stated in to become a "stable preference" insight. Default 3. */
  stablePreferenceSessions: z.number().int().min(2).max(100).default(3),
  /** Sessions a transient problem must come up in to become a "recurring problem" insight. Default 2. */
  recurringProblemSessions: z.number().int().min(2).max(100).default(2),
  /** Sessions a tool must be named in (about different subjects) to become an insight. Default 3. */
  toolMentionSessions: z.number().int().min(2).max(100).default(3),
});
export type OfflineModelOptions = z.input<typeof OfflineModelOptions>;

/**
 * The rule-based ConsolidationModel: no network, no tokens, deterministic, linear in its input. It reads explicit
 * memory statements from the user's own turns ("remember that …", "from now on …", "I prefer …", "always/never …",
 * "my X is Y", "I moved to …", "we use / switched to …"), reads existing memories line by line, keys both by the same
 * rules so a later statement supersedes an earlier one, recognises one-off debugging notes as transient, judges
 * near-duplicates by words, and proposes cross-session insights by counting sessions. It is the engine's default when
 * no model is configured. What it recognises, and its limits, are in `docs/offline-model.md`.
 */
export function createOfflineConsolidationModel(options: OfflineModelOptions = {}): ConsolidationModel {
  const parsed = OfflineModelOptions.safeParse(options);
  if (!parsed.success) {
    throw new NocturneError(
      "invalid_input",
      `Invalid offline model options: ${z.prettifyError(parsed.error)}. Pass only maxInsights (0–100) and session thresholds (2–100).`,
      { cause: parsed.error },
    );
  }
  const settings = parsed.data;
  return {
    id: OFFLINE_MODEL_ID,
    offline: true,
    async extract(source, context) {
      const pacer = createPacer(context.signal);
      await pacer.pace();
      if (source.type === "memories") return extractFromMemories(source.memories, pacer);
      return extractFromTranscript(
        source.chunk,
        parseInstructions(context.instructions),
        (entry) => context.decline?.(entry),
        pacer,
      );
    },
    async judge(pairs, context) {
      const pacer = createPacer(context.signal);
      await pacer.pace();
      return judgePairs(pairs, pacer);
    },
    async synthesize(facts, context) {
      const pacer = createPacer(context.signal);
      await pacer.pace();
      const filter = parseInstructions(context.instructions);
      if (filter.ignoredKinds.has("insight")) return [];
      return synthesizeInsights(
        facts.filter((fact) => filter.allows(fact)),
        {
          maxInsights: settings.maxInsights,
          stableSessions: settings.stablePreferenceSessions,
          recurringSessions: settings.recurringProblemSessions,
          toolSessions: settings.toolMentionSessions,
        },
        pacer,
      );
    },
  };
}
