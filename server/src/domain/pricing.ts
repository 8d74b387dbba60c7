/**
 * Model prices (USD per million tokens) and the arithmetic that turns a `Usage` into dollars. The table is
 * matched by model-id prefix on `-` boundaries so dated ids (`claude-sonnet-4-5-20250929`), aliases
 * (`claude-sonnet-4-5`, `sonnet`) and provider spellings (Bedrock `us.anthropic.…-v1:0`, Vertex `…@date`)
 * all find their row. An unknown model is reported as unknown, never priced as a silent $0.
 */
import type { Usage } from '../../../shared/events.js';

/** USD per million tokens for each kind of token a request can bill. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** A configured price: input and output are required, the cache rates default to Anthropic's multipliers. */
export type PriceOverride = Pick<ModelPrice, 'input' | 'output'> & Partial<ModelPrice>;

export interface Pricing {
  /** Rows sorted longest key first, so the most specific prefix wins. */
  readonly rows: readonly { key: string; price: ModelPrice }[];
}

/** Anthropic bills cache writes and reads as fixed multiples of the input rate. */
const CACHE_WRITE_5M_MULTIPLIER = 1.25;
const CACHE_WRITE_1H_MULTIPLIER = 2;
/** A read is a tenth of the input rate; dividing keeps round prices exact (6 × 0.1 is 0.6000000000000001). */
const CACHE_READ_DIVISOR = 10;

/** Input/output list prices. Keys are normalised ids (see `normaliseModelId`). */
const BUILT_IN: Record<string, [input: number, output: number]> = {
  'claude-opus-4-7': [5, 25],
  'claude-opus-4-6': [5, 25],
  'claude-opus-4-5': [5, 25],
  'claude-opus-4-1': [15, 75],
  'claude-opus-4-0': [15, 75],
  'claude-opus-4': [15, 75],
  'claude-sonnet-4-6': [3, 15],
  'claude-sonnet-4-5': [3, 15],
  'claude-sonnet-4-0': [3, 15],
  'claude-sonnet-4': [3, 15],
  'claude-haiku-4-5': [1, 5],
  'claude-3-7-sonnet': [3, 15],
  'claude-3-5-sonnet': [3, 15],
  'claude-3-5-haiku': [0.8, 4],
  'claude-3-opus': [15, 75],
  'claude-3-haiku': [0.25, 1.25],
  // Claude Code's aliases resolve to the current model of each family.
  opus: [5, 25],
  opusplan: [5, 25],
  sonnet: [3, 15],
  haiku: [1, 5],
};

/** Fills the cache rates a price leaves out from its input rate. */
export function completePrice(p: PriceOverride): ModelPrice {
  return {
    input: p.input,
    output: p.output,
    cacheWrite5m: p.cacheWrite5m ?? p.input * CACHE_WRITE_5M_MULTIPLIER,
    cacheWrite1h: p.cacheWrite1h ?? p.input * CACHE_WRITE_1H_MULTIPLIER,
    cacheRead: p.cacheRead ?? p.input / CACHE_READ_DIVISOR,
  };
}

/**
 * Reduces a model id to the form the table is keyed by.
 * - lower case, surrounding space removed;
 * - a provider prefix up to `anthropic.` (Bedrock, with or without region) is dropped;
 * - a context suffix like `[1m]`, a Vertex `@20250929` and a Bedrock `-v1:0` are dropped.
 */
export function normaliseModelId(model: string): string {
  let id = model.trim().toLowerCase();
  const provider = id.lastIndexOf('anthropic.');
  if (provider >= 0) id = id.slice(provider + 'anthropic.'.length);
  return id
    .replace(/\[[^\]]*\]$/, '')
    .replace(/@.*$/, '')
    .replace(/-v\d+(:\d+)?$/, '');
}

/**
 * Builds the pricing table: the built-in list prices, then `overrides` (from configuration) on top. An
 * override key matches like a built-in one, so `claude-opus-4-8` prices every dated form of that model.
 * Throws a RangeError on a negative or non-finite rate: bad configuration must not start a server.
 */
export function createPricing(overrides: Record<string, PriceOverride> = {}): Pricing {
  const table = new Map<string, ModelPrice>();
  for (const [key, [input, output]] of Object.entries(BUILT_IN))
    table.set(key, completePrice({ input, output }));
  for (const [key, override] of Object.entries(overrides)) {
    const price = completePrice(override);
    for (const [field, value] of Object.entries(price)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`pricing for "${key}": ${field} must be a non-negative number`);
      }
    }
    table.set(normaliseModelId(key), price);
  }
  const rows = [...table].map(([key, price]) => ({ key, price }));
  rows.sort((a, b) => b.key.length - a.key.length);
  return { rows };
}

/** What may follow a row's key: a date, or anything not starting with a digit. */
const SUFFIX = /^-(\d{8}(?!\d)|[^\d])/;

/**
 * Finds the price of a model.
 * - the id is normalised first;
 * - a row matches the id itself, or the id followed by `-` and a date (`-20250514`) or a word (`-latest`);
 * - a row never matches a following version number: `claude-opus-4` prices `claude-opus-4-20250514` but
 *   not `claude-opus-4-8`, which stays unknown until the table (or configuration) names it, because a new
 *   minor version may carry a new price;
 * - the longest matching row wins; no match returns null.
 */
export function findPrice(pricing: Pricing, model: string): ModelPrice | null {
  const id = normaliseModelId(model);
  for (const { key, price } of pricing.rows) {
    if (id === key) return price;
    if (id.startsWith(`${key}-`) && SUFFIX.test(id.slice(key.length))) return price;
  }
  return null;
}

/** Dollars for `usage` at `price`. */
export function costOf(price: ModelPrice, usage: Usage): number {
  const micro =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheWrite5mTokens * price.cacheWrite5m +
    usage.cacheWrite1hTokens * price.cacheWrite1h +
    usage.cacheReadTokens * price.cacheRead;
  return micro / 1_000_000;
}

/** Prices `usage` for `model`; an unknown model answers `known: false` with a cost of 0 the caller must flag. */
export function priceUsage(
  pricing: Pricing,
  model: string,
  usage: Usage,
): { known: boolean; costUsd: number } {
  const price = findPrice(pricing, model);
  if (price === null) return { known: false, costUsd: 0 };
  return { known: true, costUsd: costOf(price, usage) };
}

/** A usage with every count at zero. */
export function emptyUsage(): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
  };
}

/** Field-wise sum of two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

/**
 * Field-wise `a - b`. Clamped at zero by default (a figure that went down is treated as unchanged); pass
 * `clamp: false` for a signed delta, e.g. when a cache write moves from the 5-minute to the 1-hour count.
 */
export function subtractUsage(a: Usage, b: Usage, clamp = true): Usage {
  const d = (x: number, y: number) => (clamp ? Math.max(0, x - y) : x - y);
  return {
    inputTokens: d(a.inputTokens, b.inputTokens),
    outputTokens: d(a.outputTokens, b.outputTokens),
    cacheWrite5mTokens: d(a.cacheWrite5mTokens, b.cacheWrite5mTokens),
    cacheWrite1hTokens: d(a.cacheWrite1hTokens, b.cacheWrite1hTokens),
    cacheReadTokens: d(a.cacheReadTokens, b.cacheReadTokens),
  };
}

/** Whether every count is zero. */
export function isEmptyUsage(u: Usage): boolean {
  return (
    u.inputTokens + u.outputTokens + u.cacheWrite5mTokens + u.cacheWrite1hTokens + u.cacheReadTokens === 0
  );
}

/** What one model cost in one run, with its token counts: what runs report and cost reports sum. */
export interface ModelCost {
  model: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}
