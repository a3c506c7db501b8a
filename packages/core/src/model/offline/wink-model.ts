import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type winkNLP from "wink-nlp";
import type { Model } from "wink-nlp";
import { createPacer, type Pacer } from "../../util/pacer.js";
import { parseCoreModelJson } from "./paced-model-json.js";

/**
 * wink's English lite model (`wink-eng-lite-web-model`) as `winkNLP()` takes it, loaded in paced steps. The package's
 * own entry reads everything at once when `winkNLP()` asks for the core model: a deep copy of a 3 MB JSON, a base64
 * decode a byte at a time and a lookup table of 88k words, about 300 ms with the event loop held. This loader reads
 * the same files and builds the same objects (a test compares them with the package's own), giving the event loop a
 * turn between steps, so the first offline dream in a host process does not freeze it. The core model file is read
 * without blocking and parsed a slice of its word list at a time, then completed in place. Where the file
 * cannot be found on disk (an app bundled with Nocturne inside), the package's own entry loads the model at once.
 */
export async function loadWinkModel(pacer: Pacer = createPacer()): Promise<Model> {
  const file = coreModelPath();
  if (file === null) return defaultOf(await import("wink-eng-lite-web-model")) as Model;
  const core = await loadCoreModel(file, pacer);
  const part = async (load: () => Promise<unknown>): Promise<unknown> => {
    await pacer.pace();
    return defaultOf(await load());
  };
  const model = {
    core: () => core,
    sbd: await part(() => import("wink-eng-lite-web-model/dist/load-sbd-model.js")),
    pos: await part(() => import("wink-eng-lite-web-model/dist/load-pos-model.js")),
    ner: await part(() => import("wink-eng-lite-web-model/dist/load-ner-model.js")),
    negation: await part(() => import("wink-eng-lite-web-model/dist/load-negation-model.js")),
    sa: await part(() => import("wink-eng-lite-web-model/dist/load-sa-model.js")),
    metaCER: await part(() => import("wink-eng-lite-web-model/dist/load-cer-meta-model.js")),
    featureFn: await part(() => import("wink-eng-lite-web-model/dist/feature.js")),
    addons: {
      stem: await part(() => import("wink-eng-lite-web-model/dist/porter-stemmer.js")),
      lemmatize: await part(() => import("wink-eng-lite-web-model/dist/lemmatize.js")),
      readabilityStats: await part(() => import("wink-eng-lite-web-model/dist/readability-stats.js")),
      wordVectors: undefined,
    },
  };
  return model as Model;
}

/**
 * The modules of wink-nlp, leaves first: importing them one at a time spreads its load over several turns. Each
 * specifier is written out so that a bundler packs them.
 */
const WINK_NLP_MODULES = [
  () => import("wink-nlp/src/constants.js"),
  () => import("wink-nlp/src/helper.js"),
  () => import("wink-nlp/src/allowed.js"),
  () => import("wink-nlp/src/sort4FT.js"),
  () => import("wink-nlp/src/its.js"),
  () => import("wink-nlp/src/as.js"),
  () => import("wink-nlp/src/cache.js"),
  () => import("wink-nlp/src/tokenizer.js"),
  () => import("wink-nlp/src/compile-trex.js"),
  () => import("wink-nlp/src/automaton.js"),
  () => import("wink-nlp/src/search.js"),
  () => import("wink-nlp/src/locate.js"),
  () => import("wink-nlp/src/tokens-mappers.js"),
  () => import("wink-nlp/src/examples-compiler.js"),
  () => import("wink-nlp/src/dd-wrapper.js"),
  () => import("wink-nlp/src/doc-v2.js"),
];

/** `winkNLP()` itself, its modules imported one per turn of the event loop. */
export async function loadWinkNlp(pacer: Pacer = createPacer()): Promise<typeof winkNLP> {
  for (const load of WINK_NLP_MODULES) {
    await pacer.pace();
    await load();
  }
  await pacer.pace();
  return (await import("wink-nlp")).default;
}

/** The shape of the core model file this loader reads (fields it leaves alone are kept as they are). */
interface CoreModelFile {
  packing: { layout: Record<string, number[]>; efList?: string[] };
  lexicon: string | Uint32Array;
  xpansions: string | Uint32Array;
  features: Record<
    string,
    {
      list: string[];
      hash?: Record<string, number>;
      intrinsicSize?: number;
      index?: number;
      maxIndex?: number;
    }
  >;
  pos: { hash: Record<string, number> };
}

const CORE_MODEL_FILE = "wink-eng-lite-web-model/dist/languages/cur/models/eng-core-web-model.json";

/** Where the core model file is, from the CommonJS or the ES module build of this package; null when not on disk. */
function coreModelPath(): string | null {
  try {
    return createRequire(typeof __filename === "string" ? __filename : import.meta.url).resolve(CORE_MODEL_FILE);
  } catch {
    return null;
  }
}

/** Steps between two clock reads of the pacer while a lookup table is built (a step is one word). */
const WORDS_PER_STEP = 512;

/** What `load-core-model.js` returns, built from the same file in paced steps. */
async function loadCoreModel(file: string, pacer: Pacer): Promise<CoreModelFile> {
  const text = await readFile(file, "utf8");
  await pacer.pace();
  const model = (await parseCoreModelJson(text, pacer)) as CoreModelFile;
  await pacer.turn();
  model.lexicon = words32(model.lexicon);
  await pacer.pace();
  model.xpansions = words32(model.xpansions);
  const { layout } = model.packing;
  for (const name of Object.keys(layout)) {
    const feature = model.features[name];
    if (layout[name]?.[3] === 0 && feature) feature.hash = await lookupTable(feature.list, pacer);
  }
  const lexeme = model.features.lexeme;
  if (!lexeme) throw new Error("wink-eng-lite-web-model: the core model has no lexeme feature");
  lexeme.hash = await lookupTable(lexeme.list, pacer);
  const clusters = (model.features.posClusters?.list ?? []) as Array<string | Set<number>>;
  for (let index = 0; index < clusters.length; index++) {
    const names = clusters[index];
    if (typeof names === "string") clusters[index] = new Set(names.split("_").map((name) => model.pos.hash[name] || 0));
  }
  model.packing.efList = [];
  for (const name of Object.keys(layout)) {
    const packing = layout[name] ?? [];
    const feature = model.features[name];
    if (packing[3] === 0 && feature) {
      feature.intrinsicSize = feature.list.length;
      feature.index = feature.list.length;
      feature.maxIndex = (packing[1] ?? 0) >>> (packing[2] ?? 0);
    }
    if (packing[4] === 1) model.packing.efList.push(name);
  }
  lexeme.intrinsicSize = lexeme.list.length;
  lexeme.index = lexeme.list.length;
  return model;
}

/** Each word's index in `list`, as a prototype-less object (what wink reads), built a slice at a time. */
async function lookupTable(list: readonly string[], pacer: Pacer): Promise<Record<string, number>> {
  const table: Record<string, number> = Object.create(null);
  for (let index = 0; index < list.length; index++) {
    if (index % WORDS_PER_STEP === 0) await pacer.pace();
    table[list[index] ?? ""] = index;
  }
  return table;
}

/** Base64 text as 32-bit words, as the package's `bufferFromBase64` decodes it (platform byte order). */
function words32(value: string | Uint32Array): Uint32Array {
  if (typeof value !== "string") return value;
  const bytes = Buffer.from(value, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Uint32Array(copy.buffer);
}

/** The `default` export of an imported CommonJS or JSON module. */
function defaultOf(module: unknown): unknown {
  return typeof module === "object" && module !== null && "default" in module ? module.default : module;
}
