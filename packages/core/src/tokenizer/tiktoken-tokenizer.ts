import { get_encoding, type TiktokenEncoding } from "tiktoken";
import type { Tokenizer } from "../ports/tokenizer.js";

/**
 * A tokenizer over tiktoken (`o200k_base` by default). For Claude it is an approximation, good enough for chunk
 * budgets; a provider with exact counting can supply its own Tokenizer. The WASM encoder lives for the process.
 */
export function createTiktokenTokenizer(encodingName: TiktokenEncoding = "o200k_base"): Tokenizer {
  const encoding = get_encoding(encodingName);
  return {
    count: (text) => encoding.encode_ordinary(text).length,
    split(text, maxTokens) {
      if (maxTokens < 1) throw new RangeError("maxTokens must be at least 1");
      const ids = encoding.encode_ordinary(text);
      if (ids.length <= maxTokens) return [text];
      const decoder = new TextDecoder("utf-8");
      const pieces: string[] = [];
      for (let start = 0; start < ids.length; start += maxTokens) {
        const last = start + maxTokens >= ids.length;
        const piece = decoder.decode(encoding.decode(ids.subarray(start, start + maxTokens)), { stream: !last });
        if (piece.length > 0) pieces.push(piece);
      }
      return pieces;
    },
  };
}
