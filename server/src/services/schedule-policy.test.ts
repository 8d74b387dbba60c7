import { describe, expect, it } from 'vitest';
import { afterOutcome, checkCron, nextDue, outcomeOfStatus } from './schedule-policy.js';

describe('schedule policy', () => {
  it.each([
    ['0 7 * * 1-5', true],
    ['*/5 * * * *', true],
    ['0 7 * *', false],
    ['* * * * * *', false],
    ['61 * * * *', false],
    ['banana', false],
  ])('checks the cron line %s', (expr, ok) => {
    expect(checkCron(expr).ok).toBe(ok);
  });

  it('finds the next weekday at 07:00 after a Friday evening', () => {
    const friday = new Date('2026-12-04T22:00:00Z');
    expect(nextDue('0 7 * * 1-5', friday, 'UTC')?.toISOString()).toBe('2026-12-07T07:00:00.000Z');
    const monday = new Date('2026-12-07T07:00:00Z');
    expect(nextDue('0 7 * * 1-5', monday, 'UTC')?.toISOString()).toBe('2026-12-08T07:00:00.000Z');
  });

  it.each([
    [0, 'succeeded', 0, false],
    [2, 'succeeded', 0, false],
    [0, 'failed', 1, false],
    [1, 'failed', 2, false],
    [2, 'failed', 3, true],
  ] as const)('after %i failures, a run that %s leaves %i (paused: %s)', (before, outcome, after, paused) => {
    const health = afterOutcome(before, outcome);
    expect(health.failures).toBe(after);
    expect(health.pause !== null).toBe(paused);
  });

  it.each([
    ['review', 'succeeded'],
    ['done', 'succeeded'],
    ['failed', 'failed'],
    ['cancelled', null],
    ['running', null],
    ['queued', null],
  ])('a task moving to %s is %s', (status, outcome) => {
    expect(outcomeOfStatus(status)).toBe(outcome);
  });
});
