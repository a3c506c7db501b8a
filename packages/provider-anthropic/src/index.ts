// Public API of @nocturne/anthropic: Claude models for Nocturne through the official SDK.
export type { AnthropicModel, AnthropicModelOptions } from "./anthropic-model.js";
export { createAnthropicModel, DEFAULT_ANTHROPIC_MODEL } from "./anthropic-model.js";
export type { TokenPrices } from "./anthropic-pricing.js";
export { ANTHROPIC_PRICES, anthropicPrices, estimateCost } from "./anthropic-pricing.js";
