import type { Usage } from "@nocturne/core";

/** US dollars per million tokens for each usage counter. */
export interface TokenPrices {
  input: number;
  output: number;
  /** Writing the prompt cache (5-minute entries: 1.25 × input). */
  cacheWrite: number;
  /** Reading the prompt cache (0.1 × input). */
  cacheRead: number;
}

function prices(input: number, output: number): TokenPrices {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
}

/**
 * Anthropic list prices by model family (USD per million tokens, standard tier), matched by id prefix. Check
 * https://www.anthropic.com/pricing before relying on them; pass your own prices when they differ.
 */
export const ANTHROPIC_PRICES: ReadonlyArray<readonly [prefix: string, prices: TokenPrices]> = [
  ["claude-opus-4-7", prices(5, 25)],
  ["claude-opus-4-6", prices(5, 25)],
  ["claude-opus-4-5", prices(5, 25)],
  ["claude-opus-4-1", prices(15, 75)],
  ["claude-opus-4-0", prices(15, 75)],
  ["claude-opus-4-2025", prices(15, 75)],
  ["claude-sonnet-4", prices(3, 15)],
  ["claude-3-7-sonnet", prices(3, 15)],
  ["claude-haiku-4-5", prices(1, 5)],
  ["claude-3-5-haiku", prices(0.8, 4)],
];

/** The list prices of an Anthropic model id, or null when it is not in the table. */
export function anthropicPrices(modelId: string): TokenPrices | null {
  const id = modelId.replace(/^anthropic:/, "");
  return ANTHROPIC_PRICES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? null;
}

/** What `usage` costs in US dollars at `prices`, or null without prices. */
export function estimateCost(usage: Partial<Usage>, prices: TokenPrices | null): number | null {
  if (!prices) return null;
  const dollars =
    (usage.input_tokens ?? 0) * prices.input +
    (usage.output_tokens ?? 0) * prices.output +
    (usage.cache_creation_input_tokens ?? 0) * prices.cacheWrite +
    (usage.cache_read_input_tokens ?? 0) * prices.cacheRead;
  return dollars / 1_000_000;
}
