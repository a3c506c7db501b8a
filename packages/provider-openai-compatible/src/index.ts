// Public API of @nocturne/openai-compatible: any OpenAI-compatible chat-completions server as a Nocturne model.
export type { OpenAICompatibleModelOptions } from "./openai-compatible-model.js";
export { createOpenAICompatibleModel } from "./openai-compatible-model.js";
