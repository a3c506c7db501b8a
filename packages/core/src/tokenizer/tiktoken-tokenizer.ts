import { createRequire } from "node:module";
import type { Tiktoken, TiktokenEncoding } from "tiktoken";
import { NocturneError } from "../errors.js";
import type { Tokenizer } from "../ports/tokenizer.js";

type TiktokenModule = typeof import("tiktoken");

let tiktoken: TiktokenModule | undefined;

/**
 * tiktoken, required at run time on first use: its WASM encoder takes ~0.4 s and ~60 MB, which a process that never
 * counts tokens should not pay. Bundlers leave it out (the WASM file cannot be bundled): keep `tiktoken` installed
 * beside a bundle, or pass your own Tokenizer. The CommonJS build has no `import.meta.url` and uses `require`.
 */
function loadTiktoken(): TiktokenModule {
  if (tiktoken) return tiktoken;
  try {
    const load = import.meta.url ? createRequire(import.meta.url) : require;
    tiktoken = load("tiktoken") as TiktokenModule;
    return tiktoken;
  } catch (cause) {
    throw new NocturneError(
      "internal_error",
      "The default tokenizer could not load tiktoken. A bundled app loads it at run time: install `tiktoken` beside the bundle (npm install tiktoken), or pass `tokenizer` to createNocturne.",
      { cause },
    );
  }
}

/**
 * A tokenizer over tiktoken (`o200k_base` by default). For Claude it is an approximation, good enough for chunk
 * budgets; a provider with exact counting can supply its own Tokenizer. Cheap to create: the WASM encoder is loaded
 * on the first count or split and then lives for the process.
 */
export function createTiktokenTokenizer(encodingName: TiktokenEncoding = "o200k_base"): Tokenizer {
  let encoding: Tiktoken | undefined;
  const encoder = (): Tiktoken => {
    encoding ??= loadTiktoken().get_encoding(encodingName);
    return encoding;
  };
  return {
    count: (text) => encoder().encode_ordinary(text).length,
    split(text, maxTokens) {
      if (maxTokens < 1) throw new RangeError("maxTokens must be at least 1");
      const ids = encoder().encode_ordinary(text);
      if (ids.length <= maxTokens) return [text];
      const decoder = new TextDecoder("utf-8");
      const pieces: string[] = [];
      for (let start = 0; start < ids.length; start += maxTokens) {
        const last = start + maxTokens >= ids.length;
        const piece = decoder.decode(encoder().decode(ids.subarray(start, start + maxTokens)), { stream: !last });
        if (piece.length > 0) pieces.push(piece);
      }
      return pieces;
    },
  };
}
