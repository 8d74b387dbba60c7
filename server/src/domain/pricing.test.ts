import { describe, expect, it } from 'vitest';
import type { Usage } from '../../../shared/events.js';
import { createPricing, findPrice, normaliseModelId, priceUsage } from './pricing.js';

const usage = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  cacheReadTokens: 0,
  ...u,
});

describe('findPrice', () => {
  const pricing = createPricing();
  const rows: [model: string, input: number | null, output?: number][] = [
    ['claude-opus-4-7', 5, 25],
    ['claude-opus-4-6', 5, 25],
    ['claude-opus-4-5-20251101', 5, 25],
    ['claude-opus-4-1-20250805', 15, 75],
    ['claude-opus-4-1', 15, 75],
    ['claude-opus-4-20250514', 15, 75],
    ['claude-opus-4-0', 15, 75],
    ['claude-sonnet-4-6', 3, 15],
    ['claude-sonnet-4-5-20250929', 3, 15],
    ['claude-sonnet-4-5', 3, 15],
    ['claude-sonnet-4-20250514', 3, 15],
    ['claude-haiku-4-5-20251001', 1, 5],
    ['claude-3-7-sonnet-20250219', 3, 15],
    ['claude-3-7-sonnet-latest', 3, 15],
    ['claude-3-5-haiku-20241022', 0.8, 4],
    ['claude-3-haiku-20240307', 0.25, 1.25],
    ['sonnet', 3, 15],
    ['opus', 5, 25],
    ['haiku', 1, 5],
    ['claude-sonnet-4-5[1m]', 3, 15],
    ['CLAUDE-SONNET-4-5', 3, 15],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 3, 15],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 0.8, 4],
    ['claude-opus-4-1@20250805', 15, 75],
    // A new minor version must not inherit its family's old price.
    ['claude-opus-4-8', null],
    ['claude-sonnet-4-9-20260101', null],
    ['claude-haiku-4', null],
    ['gpt-4o', null],
    ['', null],
    ['<synthetic>', null],
  ];
  it.each(rows)('%s → input %s', (model, input, output) => {
    const price = findPrice(pricing, model);
    if (input === null) return expect(price).toBeNull();
    expect(price).toEqual({
      input,
      output,
      cacheWrite5m: input * 1.25,
      cacheWrite1h: input * 2,
      cacheRead: input / 10,
    });
  });
});

describe('priceUsage', () => {
  const pricing = createPricing();
  const rows: [name: string, model: string, u: Partial<Usage>, known: boolean, cost: number][] = [
    ['the SDK-measured figure', 'claude-sonnet-4-5', { inputTokens: 100, outputTokens: 50 }, true, 0.00105],
    ['a million output tokens of opus 4.1', 'claude-opus-4-1', { outputTokens: 1_000_000 }, true, 75],
    ['cache write 5m at 1.25×', 'claude-sonnet-4-5', { cacheWrite5mTokens: 1_000_000 }, true, 3.75],
    ['cache write 1h at 2×', 'claude-sonnet-4-5', { cacheWrite1hTokens: 1_000_000 }, true, 6],
    ['cache read at 0.1×', 'claude-haiku-4-5', { cacheReadTokens: 1_000_000 }, true, 0.1],
    [
      'every field',
      'claude-3-haiku',
      { inputTokens: 4e6, outputTokens: 2e6, cacheReadTokens: 1e6 },
      true,
      3.525,
    ],
    ['unknown model', 'claude-future-9', { inputTokens: 1_000_000 }, false, 0],
  ];
  it.each(rows)('%s', (_name, model, u, known, cost) => {
    const priced = priceUsage(pricing, model, usage(u));
    expect(priced.known).toBe(known);
    expect(priced.costUsd).toBeCloseTo(cost, 10);
  });
});

describe('createPricing overrides', () => {
  it('adds a model the table does not know, with dated forms and derived cache rates', () => {
    const pricing = createPricing({ 'claude-opus-4-8': { input: 6, output: 30 } });
    expect(findPrice(pricing, 'claude-opus-4-8-20260301')).toEqual({
      input: 6,
      output: 30,
      cacheWrite5m: 7.5,
      cacheWrite1h: 12,
      cacheRead: 0.6,
    });
  });

  it('replaces a built-in price and keeps explicit cache rates', () => {
    const pricing = createPricing({ 'Claude-Sonnet-4-5': { input: 2, output: 10, cacheRead: 0.5 } });
    expect(priceUsage(pricing, 'claude-sonnet-4-5-20250929', usage({ cacheReadTokens: 2e6 })).costUsd).toBe(
      1,
    );
    expect(findPrice(pricing, 'claude-sonnet-4-6')?.input).toBe(3);
  });

  it.each([
    ['negative', { input: -1, output: 1 }],
    ['NaN', { input: Number.NaN, output: 1 }],
    ['infinite cache rate', { input: 1, output: 1, cacheRead: Infinity }],
  ])('rejects a %s rate', (_name, override) => {
    expect(() => createPricing({ x: override })).toThrow(RangeError);
  });
});

describe('normaliseModelId', () => {
  it.each([
    ['  Claude-Opus-4-6 ', 'claude-opus-4-6'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001'],
    ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
    ['sonnet[1m]', 'sonnet'],
  ])('%s → %s', (input, expected) => expect(normaliseModelId(input)).toBe(expected));
});
