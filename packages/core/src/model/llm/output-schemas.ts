import { z } from "zod";
import type { StructuredOutputSpec } from "../../ports/language-model.js";
import { Cardinality, ExtractedFact, JudgeVerdict, ProposedInsight } from "../../schemas/facts.js";

/** What an extraction call returns. A fact without `cardinality` is read as a set member (never replaces anything). */
export const ExtractOutput = z.object({ facts: z.array(ExtractedFact) });
/**
 * The extraction output as providers are asked for it: `cardinality` required, so a model with structured output
 * always says whether an attribute holds one value or a set. Validation uses the lenient {@link ExtractOutput}, so a
 * model without structured output that leaves it out still works (its facts are never replaced on a guess).
 */
const ExtractOutputRequested = z.object({ facts: z.array(ExtractedFact.extend({ cardinality: Cardinality })) });
/** What a judgement call returns. */
export const JudgeOutput = z.object({ verdicts: z.array(JudgeVerdict) });
/** What a synthesis call returns. */
export const SynthesizeOutput = z.object({ insights: z.array(ProposedInsight) });

/** The structured-output names of the three calls: scripts can route on `request.output.name`. */
export const OUTPUT_NAMES = {
  extract: "record_facts",
  judge: "record_verdicts",
  synthesize: "record_insights",
} as const;

/** A zod schema as a provider-ready JSON Schema (no `$schema` key: some providers reject it in tool schemas). */
export function toOutputSpec(name: string, description: string, schema: z.ZodType): StructuredOutputSpec {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
  return { name, description, schema: json };
}

/** The three structured outputs, built once. */
export const OUTPUT_SPECS = {
  extract: toOutputSpec(OUTPUT_NAMES.extract, "Record the facts extracted from the data.", ExtractOutputRequested),
  judge: toOutputSpec(OUTPUT_NAMES.judge, "Record one verdict per pair.", JudgeOutput),
  synthesize: toOutputSpec(OUTPUT_NAMES.synthesize, "Record the cross-session insights.", SynthesizeOutput),
} satisfies Record<keyof typeof OUTPUT_NAMES, StructuredOutputSpec>;
