import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOOP_LIMITS,
  HOUR_MS,
  checkLimits,
  formatWait,
  recentCalls,
  resolveLoopLimits,
  type LimitCheck,
  type LoopLimits,
  type LoopUsage,
} from './loop-limits.js';

const NOW = 1_800_000_000_000;
const limits = (l: Partial<LoopLimits> = {}): LoopLimits => ({ ...DEFAULT_LOOP_LIMITS, ...l });
const usage = (u: Partial<LoopUsage> = {}): LoopUsage => ({
  iterations: 0,
  costUsd: 0,
  callStarts: [],
  lastEndedAt: null,
  ...u,
});
/** `n` call starts, one every 30 s, the last one `lastAgoMs` before now. */
const calls = (n: number, lastAgoMs = 60_000) =>
  Array.from({ length: n }, (_, i) => NOW - lastAgoMs - (n - 1 - i) * 30_000);

describe('checkLimits', () => {
  const rows: [name: string, l: Partial<LoopLimits>, u: Partial<LoopUsage>, expected: Partial<LimitCheck>][] =
    [
      ['the first iteration', {}, {}, { ok: true }],
      [
        'below every limit, pause elapsed',
        {},
        { iterations: 3, costUsd: 1, lastEndedAt: NOW - 5000 },
        { ok: true },
      ],
      ['max iterations reached', { maxIterations: 3 }, { iterations: 3 }, { stop: 'max_iterations' }],
      ['max iterations one short', { maxIterations: 3 }, { iterations: 2 }, { ok: true }],
      ['default of 20 iterations', {}, { iterations: 20 }, { stop: 'max_iterations' }],
      ['cost cap reached exactly', { maxCostUsd: 2 }, { costUsd: 2 }, { stop: 'cost_cap' }],
      ['cost cap passed', { maxCostUsd: 2 }, { costUsd: 2.5 }, { stop: 'cost_cap' }],
      ['below the cost cap', { maxCostUsd: 2 }, { costUsd: 1.99 }, { ok: true }],
      ['no cost cap', { maxCostUsd: null }, { costUsd: 1e6 }, { ok: true }],
      [
        'iterations are checked before cost',
        { maxIterations: 1, maxCostUsd: 1 },
        { iterations: 1, costUsd: 5 },
        { stop: 'max_iterations' },
      ],
      ['pausing after an iteration', {}, { lastEndedAt: NOW - 1000 }, { waitMs: 4000, why: 'pause' }],
      ['pause of 0', { pauseMs: 0 }, { lastEndedAt: NOW }, { ok: true }],
      ['pause just elapsed', {}, { lastEndedAt: NOW - 5000 }, { ok: true }],
      // 3 calls per hour, started 50, 40 and 30 minutes ago: the oldest frees its slot in 10 minutes.
      [
        'hourly budget full',
        { callsPerHour: 3 },
        { callStarts: [NOW - 50 * 60_000, NOW - 40 * 60_000, NOW - 30 * 60_000] },
        { waitMs: 10 * 60_000, why: 'rate_limit' },
      ],
      [
        'hourly budget with a slot left',
        { callsPerHour: 3 },
        { callStarts: [NOW - 40 * 60_000, NOW - 30 * 60_000] },
        { ok: true },
      ],
      [
        'calls older than an hour do not count',
        { callsPerHour: 2 },
        { callStarts: [NOW - HOUR_MS - 1, NOW - HOUR_MS, NOW - 10_000] },
        { ok: true },
      ],
      // Over budget by two (the limit was lowered): the second oldest must leave too.
      [
        'over budget waits for enough slots',
        { callsPerHour: 2 },
        { callStarts: [NOW - 50 * 60_000, NOW - 20 * 60_000, NOW - 10 * 60_000] },
        { waitMs: 40 * 60_000, why: 'rate_limit' },
      ],
      [
        'unsorted call starts',
        { callsPerHour: 2 },
        { callStarts: [NOW - 10 * 60_000, NOW - 55 * 60_000] },
        { waitMs: 5 * 60_000, why: 'rate_limit' },
      ],
      [
        'the default budget of 100',
        {},
        { callStarts: calls(100) },
        { why: 'rate_limit', waitMs: HOUR_MS - 99 * 30_000 - 60_000 },
      ],
      ['the default budget with a slot left', {}, { callStarts: calls(99) }, { ok: true }],
      [
        'the longer of pause and rate limit wins (rate)',
        { callsPerHour: 1 },
        { callStarts: [NOW - 59 * 60_000], lastEndedAt: NOW - 1000 },
        { waitMs: 60_000, why: 'rate_limit' },
      ],
      [
        'the longer of pause and rate limit wins (pause)',
        { callsPerHour: 1, pauseMs: 120_000 },
        { callStarts: [NOW - 59 * 60_000], lastEndedAt: NOW },
        { waitMs: 120_000, why: 'pause' },
      ],
      [
        'stops before waiting',
        { maxIterations: 1, callsPerHour: 1 },
        { iterations: 1, callStarts: [NOW] },
        { stop: 'max_iterations' },
      ],
    ];
  it.each(rows)('%s', (_name, l, u, expected) =>
    expect(checkLimits(limits(l), usage(u), NOW)).toMatchObject(expected),
  );

  it('explains each answer', () => {
    expect(checkLimits(limits({ maxIterations: 5 }), usage({ iterations: 5 }), NOW)).toEqual({
      stop: 'max_iterations',
      detail: 'reached the limit of 5 iterations',
    });
    expect(checkLimits(limits({ maxCostUsd: 2 }), usage({ costUsd: 2.345 }), NOW)).toMatchObject({
      detail: 'the loop spent $2.35 of its $2.00 cap',
    });
    expect(
      checkLimits(limits({ callsPerHour: 1 }), usage({ callStarts: [NOW - 59 * 60_000] }), NOW),
    ).toMatchObject({
      detail: '1 iterations started in the last hour (limit 1); waiting 1 min',
    });
  });
});

describe('recentCalls', () => {
  it('keeps the last hour, oldest first', () => {
    expect(recentCalls([NOW - 10, NOW - HOUR_MS, NOW - 20, NOW + 5], NOW)).toEqual([NOW - 20, NOW - 10]);
  });
});

describe('resolveLoopLimits', () => {
  it('fills defaults', () => {
    expect(resolveLoopLimits()).toEqual({
      maxIterations: 20,
      maxCostUsd: null,
      callsPerHour: 100,
      pauseMs: 5000,
    });
    expect(resolveLoopLimits({ maxIterations: 3, pauseMs: 0 })).toMatchObject({
      maxIterations: 3,
      pauseMs: 0,
    });
  });

  const bad: [Partial<LoopLimits>, RegExp][] = [
    [{ maxIterations: 0 }, /maxIterations/],
    [{ maxIterations: 2.5 }, /maxIterations/],
    [{ callsPerHour: 0 }, /callsPerHour/],
    [{ pauseMs: -1 }, /pauseMs/],
    [{ pauseMs: Number.NaN }, /pauseMs/],
    [{ maxCostUsd: 0 }, /maxCostUsd/],
  ];
  it.each(bad)('rejects %j', (given, message) => expect(() => resolveLoopLimits(given)).toThrow(message));
});

describe('formatWait', () => {
  const rows: [number, string][] = [
    [850, '850 ms'],
    [1000, '1 s'],
    [12_300, '13 s'],
    [60_000, '1 min'],
    [200_000, '3 min 20 s'],
  ];
  it.each(rows)('%d → %s', (ms, text) => expect(formatWait(ms)).toBe(text));
});
