/** One load-cost scenario: the ES module code a fresh `node` process runs between its two clock readings. */
export interface LoadScenario {
  name: string;
  /** What the figure's scenario column says. */
  description: string;
  /** Module code ending with everything it measures done; run from bench/, so `@nocturne/core` and the providers are the built dist. */
  code: string;
  /** Goals for import time (ms) and RSS over a bare process (MiB), where the project set one. */
  goals?: { ms: number; rssMiB: number };
}

const OFFLINE_SETUP = `const core = await import("@nocturne/core");
const storage = core.createInMemoryAdapter();
const nocturne = core.createNocturne({ storage });`;

const ONE_SESSION_DREAM = `const store = await storage.createMemoryStore({ name: "m" });
await storage.createMemory(store.id, { path: "/profile.md", content: "- Lives in Berlin\\n" });
const at = new Date().toISOString();
await storage.putSession({ id: "sesn_1", title: "t", created_at: at, metadata: {}, events: [
  { id: "evt_1", type: "user.message", processed_at: at, content: [{ type: "text", text: "I moved to Lisbon last week." }] },
] });
const dream = await nocturne.dreams.create({ inputs: [
  { type: "memory_store", memory_store_id: store.id }, { type: "sessions", session_ids: ["sesn_1"] },
] });
const done = await nocturne.dreams.wait(dream.id);
if (done.status !== "completed") throw new Error("dream " + done.status);`;

/** The scenarios, each measured in fresh processes: core alone, with each provider, and a first offline dream. */
export const LOAD_SCENARIOS: LoadScenario[] = [
  {
    name: "core_offline_setup",
    description: 'import "@nocturne/core", createInMemoryAdapter(), createNocturne({ storage }) (offline model)',
    code: OFFLINE_SETUP,
    goals: { ms: 100, rssMiB: 40 },
  },
  {
    name: "core_anthropic",
    description:
      'the offline setup, then import "@nocturne/anthropic", createAnthropicModel({ apiKey }) and loadClient(): the SDK loaded',
    code: `${OFFLINE_SETUP}
const { createAnthropicModel } = await import("@nocturne/anthropic");
const model = createAnthropicModel({ apiKey: "sk-ant-bench" });
await model.loadClient();`,
  },
  {
    name: "core_openai_compatible",
    description:
      'the offline setup, then import "@nocturne/openai-compatible" and createOpenAICompatibleModel({ baseURL, model }) (fetch, no SDK)',
    code: `${OFFLINE_SETUP}
const { createOpenAICompatibleModel } = await import("@nocturne/openai-compatible");
createOpenAICompatibleModel({ baseURL: "http://127.0.0.1:11434/v1", model: "llama3.1:8b" });`,
  },
  {
    name: "core_first_offline_dream",
    description: "the offline setup, then a one-session offline dream: tiktoken and the NLP model loaded on first use",
    code: `${OFFLINE_SETUP}
${ONE_SESSION_DREAM}`,
  },
];

/** The bare process every scenario is compared with: the same script with nothing to load. */
export const BARE_CODE = "";
