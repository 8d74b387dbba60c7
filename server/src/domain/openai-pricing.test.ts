import { describe, expect, it } from 'vitest';
import {
  codexUsageFrom,
  costOfOpenAi,
  createOpenAiPricing,
  findOpenAiPrice,
  priceCodexUsage,
  subtractCodexUsage,
  type CodexUsage,
} from './openai-pricing.js';

const usage = (u: Partial<CodexUsage>): CodexUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
  ...u,
});

describe('findOpenAiPrice', () => {
  const pricing = createOpenAiPricing();
  const rows: [model: string, input: number | null, output?: number][] = [
    ['gpt-5.5', 5, 30],
    ['GPT-5.5', 5, 30],
    ['openai/gpt-5.5', 5, 30],
    ['gpt-5.5-2026-04-23', 5, 30],
    ['gpt-5.4-mini', 0.75, 4.5],
    ['gpt-5.4-pro', 30, 180],
    ['gpt-5-codex', 1.25, 10],
    ['gpt-5.1-codex-mini', 0.25, 2],
    ['gpt-4o-2024-08-06', 2.5, 10],
    ['o4-mini', 1.1, 4.4],
    ['codex-mini-latest', 1.5, 6],
    // A variant or a newer version must not inherit its family's price.
    ['gpt-5.5-mini', null],
    ['gpt-5.4-turbo', null],
    ['gpt-6-sol', null],
    ['gpt-5.6-luna', null],
    ['claude-sonnet-4-5', null],
    ['', null],
  ];
  it.each(rows)('%s → input %s', (model, input, output) => {
    const price = findOpenAiPrice(pricing, model);
    if (input === null) return expect(price).toBeNull();
    expect(price).toMatchObject({ input, output });
  });

  it('takes configured prices on top, with a cached rate of a tenth of input by default', () => {
    const custom = createOpenAiPricing({
      'GPT-6-Sol': { input: 8, output: 40 },
      'gpt-5.5': { input: 1, output: 2 },
    });
    expect(findOpenAiPrice(custom, 'gpt-6-sol')).toEqual({ input: 8, cachedInput: 0.8, output: 40 });
    expect(findOpenAiPrice(custom, 'gpt-5.5')).toEqual({ input: 1, cachedInput: 0.1, output: 2 });
    expect(() => createOpenAiPricing({ x: { input: -1, output: 1 } })).toThrow(RangeError);
  });
});

describe('costOfOpenAi', () => {
  it('bills fresh input, cached input and output, with reasoning inside output', () => {
    const price = { input: 5, cachedInput: 0.5, output: 30 };
    // 600 fresh × $5 + 400 cached × $0.50 + 100 output × $30, per million.
    const cost = costOfOpenAi(
      price,
      usage({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 100, reasoningOutputTokens: 40 }),
    );
    expect(cost).toBeCloseTo(0.0062, 12);
    expect(costOfOpenAi(price, usage({ inputTokens: 10, cachedInputTokens: 50 }))).toBeCloseTo(
      10 * 0.5e-6,
      12,
    );
  });
});

describe('priceCodexUsage', () => {
  const pricing = createOpenAiPricing();
  it('splits input into fresh and cached tokens for the per-model row', () => {
    const priced = priceCodexUsage(
      pricing,
      'gpt-5.5',
      usage({ inputTokens: 3000, cachedInputTokens: 1200, outputTokens: 300 }),
    );
    expect(priced).toEqual({
      known: true,
      row: {
        model: 'gpt-5.5',
        costUsd: expect.closeTo(0.0186, 12),
        inputTokens: 1800,
        outputTokens: 300,
        cacheWriteTokens: 0,
        cacheReadTokens: 1200,
      },
    });
  });

  it('flags an unknown model instead of pricing it, keeping its tokens', () => {
    const priced = priceCodexUsage(pricing, 'gpt-6-sol', usage({ inputTokens: 10, outputTokens: 5 }));
    expect(priced.known).toBe(false);
    expect(priced.row).toMatchObject({ costUsd: 0, inputTokens: 10, outputTokens: 5 });
  });
});

describe('Codex usage objects', () => {
  it('reads the snake_case usage and subtracts totals without going below zero', () => {
    const total = codexUsageFrom({
      input_tokens: 4000,
      cached_input_tokens: 1600,
      cache_write_input_tokens: 0,
      output_tokens: 200,
      reasoning_output_tokens: 80,
    });
    expect(total).toEqual(
      usage({ inputTokens: 4000, cachedInputTokens: 1600, outputTokens: 200, reasoningOutputTokens: 80 }),
    );
    const before = usage({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 300 });
    expect(subtractCodexUsage(total!, before)).toEqual(
      usage({ inputTokens: 3000, cachedInputTokens: 1200, outputTokens: 0, reasoningOutputTokens: 80 }),
    );
    expect(codexUsageFrom({ nothing: 1 })).toBeNull();
    expect(codexUsageFrom(null)).toBeNull();
  });
});
