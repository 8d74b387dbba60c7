import { describe, expect, it } from 'vitest';
import { createOpenAiPricing, NO_CODEX_USAGE, type CodexUsage } from '../domain/openai-pricing.js';
import { CodexCost } from './codex-cost.js';

const pricing = createOpenAiPricing();
const total = (input: number, cached: number, output: number): CodexUsage => ({
  inputTokens: input,
  cachedInputTokens: cached,
  outputTokens: output,
  reasoningOutputTokens: 0,
});

describe('CodexCost', () => {
  it('reports each new running total once, as this run’s share of the thread', () => {
    const cost = new CodexCost(pricing, 'gpt-5.5', total(1000, 400, 100), 0.0062);
    expect(cost.update(total(1000, 400, 100))).toMatchObject({ runCostUsd: 0, byModel: [] });
    const live = cost.update(total(2000, 800, 200));
    expect(live?.runCostUsd).toBeCloseTo(0.0062, 12);
    expect(cost.update(total(2000, 800, 200))).toBeNull();
    expect(cost.final()).toEqual({
      costUsd: expect.closeTo(0.0062, 12),
      byModel: [expect.objectContaining({ inputTokens: 600, cacheReadTokens: 400, outputTokens: 100 })],
      sessionTotalUsd: expect.closeTo(0.0124, 12),
    });
  });

  it('without a baseline, subtracts the dollars the previous run reported', () => {
    const cost = new CodexCost(pricing, 'gpt-5.5', null, 0.0062);
    cost.update(total(3000, 1200, 300));
    expect(cost.final().costUsd).toBeCloseTo(0.0124, 12);
    const cleared = new CodexCost(pricing, 'gpt-5.5', null, 1);
    cleared.update(total(1000, 400, 100));
    expect(cleared.final().costUsd).toBe(0);
  });

  it('flags an unknown model once, and never prices it', () => {
    const cost = new CodexCost(pricing, 'gpt-6-sol', NO_CODEX_USAGE, 0);
    expect(cost.update(total(10, 0, 5))).toMatchObject({ runCostUsd: 0, unknownModel: 'gpt-6-sol' });
    expect(cost.update(total(20, 0, 5))).not.toHaveProperty('unknownModel');
    expect(cost.final()).toMatchObject({ costUsd: 0, sessionTotalUsd: null });
  });

  it('says nothing was spent when no total was ever seen', () => {
    expect(new CodexCost(pricing, 'gpt-5.5', NO_CODEX_USAGE, 0).final()).toEqual({
      costUsd: 0,
      byModel: [],
      sessionTotalUsd: null,
    });
  });
});
