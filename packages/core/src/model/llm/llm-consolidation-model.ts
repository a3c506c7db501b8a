import type {
  ConsolidationModel,
  ExtractionSource,
  ModelCallContext,
  SynthesisFact,
} from "../../ports/consolidation-model.js";
import type { LanguageModel } from "../../ports/language-model.js";
import type { ExtractedFact, JudgePair, JudgeVerdict, ProposedInsight } from "../../schemas/facts.js";
import { normalizeKey, normalizeText } from "../../util/text.js";
import { ExtractOutput, JudgeOutput, OUTPUT_SPECS, SynthesizeOutput } from "./output-schemas.js";
import {
  renderJudgePrompt,
  renderMemoriesPrompt,
  renderSynthesisPrompt,
  renderTranscriptPrompt,
} from "./render-prompts.js";
import { callStructured, type StructuredCall } from "./structured-call.js";
import { buildSystemPrompt } from "./system-prompt.js";

/** Options for {@link createLlmConsolidationModel}. */
export interface LlmConsolidationModelOptions {
  /** Recorded as the dream's `model.id`. Default: the language model's `modelId`. */
  id?: string;
  /** Attempts after the first when output is invalid, each with the problems fed back. Default 2. */
  outputRetries?: number;
  /** Output token limits per call. Defaults: extract 8,192, judge 4,096, synthesize 4,096. */
  maxOutputTokens?: { extract?: number; judge?: number; synthesize?: number };
  /** Default 0: consolidation wants the same answer for the same input. */
  temperature?: number;
  /** Most pairs judged in one call; larger batches are split. Default 40. */
  judgeBatchSize?: number;
}

/**
 * The ConsolidationModel that works over any LanguageModel: Nocturne's prompts, zod schemas sent as structured
 * output, validation with the problems fed back to the model, and the usage of every call reported.
 */
export function createLlmConsolidationModel(
  languageModel: LanguageModel,
  options: LlmConsolidationModelOptions = {},
): ConsolidationModel {
  const outputRetries = options.outputRetries ?? 2;
  const temperature = options.temperature ?? 0;
  const judgeBatchSize = Math.max(1, options.judgeBatchSize ?? 40);
  const limits = { extract: 8192, judge: 4096, synthesize: 4096, ...options.maxOutputTokens };

  function call<T>(
    context: ModelCallContext,
    task: keyof typeof OUTPUT_SPECS,
    prompt: string,
    schema: StructuredCall<T>["schema"],
    check: StructuredCall<T>["check"],
  ): Promise<T> {
    return callStructured({
      model: languageModel,
      system: buildSystemPrompt(context.instructions),
      prompt,
      spec: OUTPUT_SPECS[task],
      schema,
      check,
      context,
      outputRetries,
      maxOutputTokens: limits[task],
      temperature,
    });
  }

  return {
    id: options.id ?? languageModel.modelId,
    offline: false,
    async extract(source: ExtractionSource, context: ModelCallContext): Promise<ExtractedFact[]> {
      if (source.type === "memories") {
        const { prompt, ids } = renderMemoriesPrompt(source.memories);
        const texts = textsById([...ids.keys()].map((shown, index) => [shown, source.memories[index]?.content ?? ""]));
        const output = await call(context, "extract", prompt, ExtractOutput, (value) =>
          checkCitations(value.facts, texts),
        );
        return withIds(output.facts, ids, new Set(source.memories.map((memory) => memory.id)));
      }
      const { prompt, events, lineAliases } = renderTranscriptPrompt(source.chunk);
      const texts = textsById(source.chunk.lines.map((line, index) => [lineAliases[index] ?? "", line.text]));
      const output = await call(context, "extract", prompt, ExtractOutput, (value) =>
        checkCitations(value.facts, texts),
      );
      const ids = new Map([...events].map(([alias, event]) => [alias, event.eventId]));
      return withIds(output.facts, ids, new Set(source.chunk.lines.map((line) => line.eventId)));
    },
    async judge(pairs: JudgePair[], context: ModelCallContext): Promise<JudgeVerdict[]> {
      const verdicts: JudgeVerdict[] = [];
      for (let start = 0; start < pairs.length; start += judgeBatchSize) {
        const batch = pairs.slice(start, start + judgeBatchSize);
        const ids = batch.map((pair) => pair.id);
        const output = await call(
          context,
          "judge",
          renderJudgePrompt(batch),
          JudgeOutput.refine((value) => coversExactly(value.verdicts, ids), {
            message: `answer exactly one verdict for each pair id: ${ids.join(", ")}`,
          }),
          undefined,
        );
        const byId = new Map(output.verdicts.map((verdict) => [verdict.id, verdict.same]));
        for (const id of ids) verdicts.push({ id, same: byId.get(id) === true });
      }
      return verdicts;
    },
    async synthesize(facts: SynthesisFact[], context: ModelCallContext): Promise<ProposedInsight[]> {
      if (facts.length === 0) return [];
      const known = new Set(facts.flatMap((fact) => fact.evidence.map((e) => `${e.session_id}\u0000${e.event_id}`)));
      const output = await call(context, "synthesize", renderSynthesisPrompt(facts), SynthesizeOutput, (value) =>
        checkInsights(value.insights, known),
      );
      return output.insights
        .map((insight) => ({
          ...insight,
          key: normalizeKey(insight.key) || insight.key,
          evidence: insight.evidence.filter((e) => known.has(`${e.session_id}\u0000${e.event_id}`)),
        }))
        .filter((insight) => new Set(insight.evidence.map((e) => e.session_id)).size >= 2);
    },
  };
}

/**
 * The facts as the pipeline takes them: keys normalized, and each cited short id replaced by the id of the event or
 * memory it stands for.
 */
function withIds(facts: ExtractedFact[], ids: ReadonlyMap<string, string>, real: ReadonlySet<string>): ExtractedFact[] {
  return facts.map((fact) => ({
    ...fact,
    key: normalizeKey(fact.key) || fact.key,
    evidence: fact.evidence.map((cited) => ({
      ...cited,
      event_id: ids.get(cited.event_id) ?? unknownId(cited.event_id, real),
    })),
  }));
}

/**
 * What an id the prompt did not show is passed on as: itself, as an unknown event id always was, so the evidence
 * check drops the citation (or, in a memory batch, repairs it by its quote); marked when it happens to be the real id
 * of an event or memory of the call (shown by its short id only), so it never cites that one.
 */
function unknownId(cited: string, eventIds: ReadonlySet<string>): string {
  let id = cited;
  while (eventIds.has(id)) id = `${id}?`;
  return id;
}

function textsById(entries: Array<[string, string]>): Map<string, string[]> {
  const texts = new Map<string, string[]>();
  for (const [id, text] of entries) {
    const list = texts.get(id) ?? [];
    list.push(normalizeText(text));
    texts.set(id, list);
  }
  return texts;
}

/** Facts that would lose all their evidence: none of their citations names a shown id whose text holds the quote. */
function checkCitations(facts: ExtractedFact[], texts: Map<string, string[]>): string[] {
  const problems: string[] = [];
  facts.forEach((fact, index) => {
    const supported = fact.evidence.some((cited) => {
      const quote = normalizeText(cited.quote);
      return quote !== "" && (texts.get(cited.event_id) ?? []).some((text) => text.includes(quote));
    });
    if (supported) return;
    const cited = fact.evidence.map((e) => e.event_id).join(", ");
    problems.push(
      texts.has(fact.evidence[0]?.event_id ?? "")
        ? `facts[${index}] (${fact.key}): no quote is an exact span of the cited event's text (${cited}); copy the words exactly.`
        : `facts[${index}] (${fact.key}): cites ${cited}, which is not an id shown in the data.`,
    );
  });
  return problems;
}

/** Insights whose valid evidence spans fewer than two sessions. */
function checkInsights(insights: ProposedInsight[], known: Set<string>): string[] {
  const problems: string[] = [];
  insights.forEach((insight, index) => {
    const sessions = new Set(
      insight.evidence.filter((e) => known.has(`${e.session_id}\u0000${e.event_id}`)).map((e) => e.session_id),
    );
    if (sessions.size < 2) {
      problems.push(
        `insights[${index}] (${insight.key}): its evidence must name session_id/event_id pairs shown in the facts, from at least two different sessions (found ${sessions.size}).`,
      );
    }
  });
  return problems;
}

function coversExactly(verdicts: JudgeVerdict[], ids: string[]): boolean {
  const seen = verdicts.map((verdict) => verdict.id);
  return seen.length === ids.length && new Set(seen).size === ids.length && ids.every((id) => seen.includes(id));
}
