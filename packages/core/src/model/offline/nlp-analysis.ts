import { createPacer } from "../../util/pacer.js";
import { loadWinkModel, loadWinkNlp } from "./wink-model.js";

/** One token of a sentence, with its exact position in the source text. */
export interface Token {
  /** Exactly `source.slice(start, end)`. */
  text: string;
  /** Lower case, curly apostrophes straightened. */
  low: string;
  /** Dictionary form from the tagger (`moved` → `move`, `'m` → `be`). */
  lemma: string;
  /** Universal part-of-speech tag (`PRON`, `VERB`, `PROPN`, …). */
  pos: string;
  start: number;
  end: number;
}

/** A sentence as the analyzer reads it: its span of the source and its tokens. */
export interface AnalyzedSentence {
  text: string;
  start: number;
  end: number;
  tokens: Token[];
}

/** Splits text into sentences and tagged tokens whose offsets always fall on word boundaries of the source. */
export interface Analyzer {
  sentences(source: string, from?: number, to?: number): AnalyzedSentence[];
}

let loading: Promise<Analyzer> | undefined;

/**
 * The shared analyzer, loaded on first use: wink-nlp with its English lite model (sentence boundaries, tokens,
 * part of speech, lemmas). The import happens once per process, on the first extraction, not when Nocturne is
 * imported, in paced steps (see `wink-model.ts`) so it never holds the event loop long. Deterministic: the same
 * text always gives the same tokens.
 */
export function loadAnalyzer(): Promise<Analyzer> {
  loading ??= createAnalyzer();
  return loading;
}

const CONTRACTED_SUBJECT = /^(i|we|you|they)(['’])(m|re|ve|d|ll)$/i;
const CONTRACTION_LEMMA: Record<string, string> = { m: "be", re: "be", ve: "have", d: "would", ll: "will" };

async function createAnalyzer(): Promise<Analyzer> {
  const pacer = createPacer();
  const winkNLP = await loadWinkNlp(pacer);
  const model = await loadWinkModel(pacer);
  await pacer.pace();
  const nlp = winkNLP(model, ["sbd", "pos"]);
  const its = nlp.its;
  // The lemma helper's declared type does not fit `out()`'s parameter, though it is one of its documented helpers.
  const lemma = its.lemma as unknown as typeof its.pos;

  return {
    sentences(source, from = 0, to = source.length) {
      const text = source.slice(from, to);
      const doc = nlp.readDoc(text);
      // Read each annotation for the whole document at once: far cheaper than an item object per token.
      const values = doc.tokens().out();
      const tags = doc.tokens().out(its.pos);
      const lemmas = doc.tokens().out(lemma);
      const spans = doc.sentences().out(its.span) as unknown as Array<[number, number]>;
      const raw: Token[][] = [];
      let cursor = 0;
      for (const [first, last] of spans) {
        const tokens: Token[] = [];
        for (let index = first; index <= last; index++) {
          const value = String(values[index] ?? "");
          const at = text.indexOf(value, cursor);
          if (at === -1 || value === "") continue;
          cursor = at + value.length;
          const start = from + at;
          pushToken(tokens, {
            text: value,
            low: value.toLowerCase().replace(/’/g, "'"),
            lemma: String(lemmas[index] ?? "")
              .toLowerCase()
              .replace(/’/g, "'"),
            pos: String(tags[index] ?? ""),
            start,
            end: start + value.length,
          });
        }
        if (tokens.length > 0) raw.push(tokens);
      }
      return mergeSplitWords(source, raw).map((tokens) => {
        const start = tokens[0]?.start ?? from;
        const end = tokens[tokens.length - 1]?.end ?? from;
        return { text: source.slice(start, end), start, end, tokens };
      });
    },
  };
}

/** Splits the lite model's single token `I'm` into `I` + `'m`, as it already does for `I've`, `we're` … */
function pushToken(tokens: Token[], token: Token): void {
  const contracted = CONTRACTED_SUBJECT.exec(token.text);
  if (!contracted?.[1] || !contracted[3]) {
    tokens.push(token);
    return;
  }
  const cut = token.start + contracted[1].length;
  const subject = contracted[1];
  const tail = token.text.slice(contracted[1].length);
  tokens.push({
    text: subject,
    low: subject.toLowerCase(),
    lemma: subject.toLowerCase(),
    pos: "PRON",
    start: token.start,
    end: cut,
  });
  tokens.push({
    text: tail,
    low: tail.toLowerCase().replace(/’/g, "'"),
    lemma: CONTRACTION_LEMMA[contracted[3].toLowerCase()] ?? tail.toLowerCase(),
    pos: "AUX",
    start: cut,
    end: token.end,
  });
}

/** Joins sentences the model split inside a word ("v1.2" as "v1." + "2"): a sentence starts after whitespace. */
function mergeSplitWords(source: string, sentences: Token[][]): Token[][] {
  const merged: Token[][] = [];
  for (const tokens of sentences) {
    const previous = merged[merged.length - 1];
    const first = tokens[0];
    if (previous && first && first.start > 0 && !/\s/.test(source[first.start - 1] ?? " ")) {
      previous.push(...tokens);
    } else {
      merged.push([...tokens]);
    }
  }
  return merged;
}
