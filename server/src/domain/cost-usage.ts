/**
 * Reading the usage counters out of the SDK's messages and results, and the per-model sums the cost meter
 * keeps: pure helpers of cost-meter.ts.
 */
import type { Usage } from '../../../shared/events.js';
import { isEmptyUsage, subtractUsage } from './pricing.js';

export interface PricedUsage {
  costUsd: number;
  usage: Usage;
}

/** The raw counters of one API message, each the largest value seen in any of its frames. */
export interface RawCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
}

/**
 * Raises each counter to the frame's value when larger; returns whether anything rose. API usage fields
 * are `input_tokens`, `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens` and the
 * optional `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens` split.
 */
export function raiseCounts(raw: RawCounts, usage: Record<string, unknown> | null): boolean {
  if (usage === null) return false;
  const split = asRecord(usage.cache_creation);
  const seen: [keyof RawCounts, unknown][] = [
    ['input', usage.input_tokens],
    ['output', usage.output_tokens],
    ['cacheCreation', usage.cache_creation_input_tokens],
    ['cacheRead', usage.cache_read_input_tokens],
    ['write5m', split?.ephemeral_5m_input_tokens],
    ['write1h', split?.ephemeral_1h_input_tokens],
  ];
  let raised = false;
  for (const [field, value] of seen) {
    if (typeof value === 'number' && Number.isFinite(value) && value > raw[field]) {
      raw[field] = value;
      raised = true;
    }
  }
  return raised;
}

/** Cache writes without a lifetime split are billed at the 5-minute rate, as the SDK does. */
export function usageOf(raw: RawCounts): Usage {
  return {
    inputTokens: raw.input,
    outputTokens: raw.output,
    cacheWrite5mTokens: Math.max(raw.write5m, raw.cacheCreation - raw.write1h),
    cacheWrite1hTokens: raw.write1h,
    cacheReadTokens: raw.cacheRead,
  };
}

/** The result's `modelUsage` as per-model costs, or null when it is missing or empty. */
export function modelUsageOf(value: unknown): Record<string, PricedUsage> | null {
  const entries = Object.entries(asRecord(value) ?? {});
  const out: Record<string, PricedUsage> = {};
  for (const [model, entry] of entries) {
    const u = asRecord(entry);
    if (u === null) continue;
    const write1h = count(u.cacheCreationEphemeral1hInputTokens);
    out[model] = {
      costUsd: count(u.costUSD),
      usage: {
        inputTokens: count(u.inputTokens),
        outputTokens: count(u.outputTokens),
        cacheWrite5mTokens: Math.max(
          count(u.cacheCreationEphemeral5mInputTokens),
          count(u.cacheCreationInputTokens) - write1h,
        ),
        cacheWrite1hTokens: write1h,
        cacheReadTokens: count(u.cacheReadInputTokens),
      },
    };
  }
  return Object.keys(out).length > 0 ? out : null;
}

export function subtract(
  total: Record<string, PricedUsage>,
  prior: Record<string, PricedUsage>,
): Record<string, PricedUsage> {
  const out: Record<string, PricedUsage> = {};
  for (const [model, cost] of Object.entries(total)) {
    const before = prior[model];
    const own = before
      ? {
          costUsd: Math.max(0, cost.costUsd - before.costUsd),
          usage: subtractUsage(cost.usage, before.usage),
        }
      : cost;
    if (own.costUsd > 0 || !isEmptyUsage(own.usage)) out[model] = own;
  }
  return out;
}

export function scaleTo(byModel: Record<string, PricedUsage>, target: number): Record<string, PricedUsage> {
  const total = sumCost(byModel);
  if (total <= 0) return byModel;
  const out: Record<string, PricedUsage> = {};
  for (const [model, cost] of Object.entries(byModel)) {
    out[model] = { costUsd: (cost.costUsd / total) * target, usage: cost.usage };
  }
  return out;
}

export function sumCost(byModel: Record<string, PricedUsage>): number {
  return Object.values(byModel).reduce((sum, c) => sum + c.costUsd, 0);
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
