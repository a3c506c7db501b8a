/** Counts tokens for chunking budgets. tiktoken by default: an approximation for Claude, exact for OpenAI models. */
export interface Tokenizer {
  count(text: string): number;
  /** Splits text into consecutive pieces of at most `maxTokens` tokens each, losing nothing. */
  split(text: string, maxTokens: number): string[];
}
