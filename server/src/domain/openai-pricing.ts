/**
 * OpenAI model prices (USD per million tokens) for the Codex agent, and the arithmetic that turns Codex's
 * usage into dollars. OpenAI bills three kinds of token: fresh input, cached input (a prompt prefix it has
 * seen recently, billed at a fraction of the input rate) and output, reasoning included. Codex reports
 * `input_tokens` with the cached ones inside it and `output_tokens` with the reasoning ones inside it, as
 * the API does. An unknown model is reported as unknown, never priced as a silent $0.
 */
import type { ModelCost } from './pricing.js';

export interface OpenAiPrice {
  input: number;
  cachedInput: number;
  output: number;
}

/** A configured price; cached input defaults to a tenth of input (the GPT-5 family's rate). */
export type OpenAiPriceOverride = Pick<OpenAiPrice, 'input' | 'output'> & Partial<OpenAiPrice>;

/** Token counts as Codex reports them (`turn.completed.usage`, the rollout's token counts). */
export interface CodexUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

/** List prices per million tokens: [input, cached input, output]. Pro models have no cached rate. */
const BUILT_IN: Record<string, [number, number, number]> = {
  'gpt-5.5': [5, 0.5, 30],
  'gpt-5.5-pro': [30, 30, 180],
  'gpt-5.4': [2.5, 0.25, 15],
  'gpt-5.4-mini': [0.75, 0.075, 4.5],
  'gpt-5.4-nano': [0.2, 0.02, 1.25],
  'gpt-5.4-pro': [30, 30, 180],
  'gpt-5.2': [1.75, 0.175, 14],
  'gpt-5.2-codex': [1.75, 0.175, 14],
  'gpt-5.1': [1.25, 0.125, 10],
  'gpt-5.1-codex': [1.25, 0.125, 10],
  'gpt-5.1-codex-max': [1.25, 0.125, 10],
  'gpt-5.1-codex-mini': [0.25, 0.025, 2],
  'gpt-5': [1.25, 0.125, 10],
  'gpt-5-codex': [1.25, 0.125, 10],
  'gpt-5-mini': [0.25, 0.025, 2],
  'gpt-5-nano': [0.05, 0.005, 0.4],
  'codex-mini-latest': [1.5, 0.375, 6],
  'gpt-4.1': [2, 0.5, 8],
  'gpt-4.1-mini': [0.4, 0.1, 1.6],
  'gpt-4.1-nano': [0.1, 0.025, 0.4],
  'gpt-4o': [2.5, 1.25, 10],
  'gpt-4o-mini': [0.15, 0.075, 0.6],
  o3: [2, 0.5, 8],
  'o4-mini': [1.1, 0.275, 4.4],
};

const CACHED_DIVISOR = 10;
/** A dated snapshot (`-2025-08-07`, `-20250807`) or `-latest` names the same model at the same price. */
const SNAPSHOT = /^-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

export interface OpenAiPricing {
  readonly table: ReadonlyMap<string, OpenAiPrice>;
}

/**
 * Builds the table: list prices, then `overrides` from configuration on top (keys lower-cased).
 * Throws a RangeError on a negative or non-finite rate: bad configuration must not start a server.
 */
export function createOpenAiPricing(overrides: Record<string, OpenAiPriceOverride> = {}): OpenAiPricing {
  const table = new Map<string, OpenAiPrice>();
  for (const [key, [input, cachedInput, output]] of Object.entries(BUILT_IN))
    table.set(key, { input, cachedInput, output });
  for (const [key, o] of Object.entries(overrides)) {
    const price = {
      input: o.input,
      cachedInput: o.cachedInput ?? o.input / CACHED_DIVISOR,
      output: o.output,
    };
    for (const [field, value] of Object.entries(price)) {
      if (!Number.isFinite(value) || value < 0)
        throw new RangeError(`pricing for "${key}": ${field} must be a non-negative number`);
    }
    table.set(key.trim().toLowerCase(), price);
  }
  return { table };
}

/**
 * Finds the price of a model.
 * - the id is lower-cased and trimmed, and an `openai/` provider prefix dropped;
 * - a row matches the id itself, or the id followed by a dated snapshot or `-latest`;
 * - nothing else matches: `gpt-5.4` does not price `gpt-5.4-pro` or `gpt-5.4-mini`, which cost more or
 *   less, and a new model stays unknown until the table or the configuration names it.
 */
export function findOpenAiPrice(pricing: OpenAiPricing, model: string): OpenAiPrice | null {
  const id = model
    .trim()
    .toLowerCase()
    .replace(/^openai\//, '');
  const exact = pricing.table.get(id);
  if (exact) return exact;
  for (const [key, price] of pricing.table) {
    if (id.startsWith(key) && SNAPSHOT.test(id.slice(key.length))) return price;
  }
  return null;
}

/** Dollars for `usage` at `price`: fresh input, cached input and output (reasoning is inside output). */
export function costOfOpenAi(price: OpenAiPrice, usage: CodexUsage): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const micro =
    (usage.inputTokens - cached) * price.input +
    cached * price.cachedInput +
    usage.outputTokens * price.output;
  return micro / 1_000_000;
}

/** What `usage` of `model` cost, as a per-model row; an unknown model answers `known: false` and $0 to flag. */
export function priceCodexUsage(
  pricing: OpenAiPricing,
  model: string,
  usage: CodexUsage,
): { known: boolean; row: ModelCost } {
  const price = findOpenAiPrice(pricing, model);
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const row: ModelCost = {
    model,
    costUsd: price ? costOfOpenAi(price, usage) : 0,
    inputTokens: usage.inputTokens - cached,
    outputTokens: usage.outputTokens,
    cacheWriteTokens: 0,
    cacheReadTokens: cached,
  };
  return { known: price !== null, row };
}

/** Field-wise `a - b`, never below zero (a total that went down is treated as unchanged). */
export function subtractCodexUsage(a: CodexUsage, b: CodexUsage): CodexUsage {
  return {
    inputTokens: Math.max(0, a.inputTokens - b.inputTokens),
    cachedInputTokens: Math.max(0, a.cachedInputTokens - b.cachedInputTokens),
    outputTokens: Math.max(0, a.outputTokens - b.outputTokens),
    reasoningOutputTokens: Math.max(0, a.reasoningOutputTokens - b.reasoningOutputTokens),
  };
}

/** A usage with every count at zero. */
export const NO_CODEX_USAGE: CodexUsage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
});

/** Reads Codex's snake_case usage object (`input_tokens`, `cached_input_tokens`, …); null if it is not one. */
export function codexUsageFrom(value: unknown): CodexUsage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
  if (typeof v.input_tokens !== 'number' && typeof v.output_tokens !== 'number') return null;
  return {
    inputTokens: n(v.input_tokens),
    cachedInputTokens: n(v.cached_input_tokens),
    outputTokens: n(v.output_tokens),
    reasoningOutputTokens: n(v.reasoning_output_tokens),
  };
}
