import { describe, expect, it } from 'vitest';
import { APPROVAL, QUESTION } from './testing/build-pending.js';
import { notificationFor, notificationOnChange } from './notification-rules.js';
import { buildTaskDto } from './testing/build-task.js';

const buildTask = (over: Parameters<typeof buildTaskDto>[0] = {}) =>
  buildTaskDto({ id: 'abcd1234ef', status: 'running', health: 'green', ...over });

const ended = '2025-01-01T00:05:00.000Z';

describe('notificationFor', () => {
  it.each([
    [
      'a question in review',
      { status: 'review', stopReason: 'input_required', inputRequired: true, pendingInput: QUESTION },
      'input_required',
      'input:abcd1234ef:req1',
      'asks: Tabs or spaces?',
    ],
    [
      'a live approval',
      { status: 'running', inputRequired: true, pendingInput: APPROVAL },
      'input_required',
      'input:abcd1234ef:req2',
      'wants to run Bash: rm -rf build (rm -rf is destructive)',
    ],
    [
      'red health',
      { status: 'running', health: 'red', healthReason: 'no events for 10 minutes' },
      'health_red',
      'red:abcd1234ef',
      'no events for 10 minutes',
    ],
    [
      'a failure',
      { status: 'failed', stopReason: 'error', error: 'API Error: 400', finishedAt: ended },
      'failed',
      `failed:abcd1234ef:${ended}`,
      'API Error: 400',
    ],
    [
      'a cost cap',
      { status: 'review', stopReason: 'cost_cap', maxCostUsd: 2, finishedAt: ended },
      'cost_cap',
      `cost_cap:abcd1234ef:${ended}`,
      'stopped at its cost cap of $2.00',
    ],
    [
      'an open breaker',
      { status: 'review', stopReason: 'circuit_open', finishedAt: ended },
      'circuit_open',
      `circuit_open:abcd1234ef:${ended}`,
      'circuit breaker opened',
    ],
    [
      'a finished run',
      { status: 'review', stopReason: 'completed', finishedAt: ended },
      'review',
      `review:abcd1234ef:${ended}`,
      'the agent finished',
    ],
    [
      'an iteration limit',
      { status: 'review', stopReason: 'max_iterations', finishedAt: ended },
      'review',
      `review:abcd1234ef:${ended}`,
      'iteration limit',
    ],
  ] as const)('%s', (_what, fields, kind, key, reason) => {
    const n = notificationFor(buildTask(fields as never));
    expect(n).toMatchObject({ kind, key });
    expect(n!.reason).toContain(reason);
  });

  it.each([
    ['queued', { status: 'queued' }],
    ['running fine', { status: 'running', health: 'green' }],
    ['running slow', { status: 'running', health: 'yellow' }],
    ['done', { status: 'done', finishedAt: ended }],
    ['cancelled', { status: 'cancelled', stopReason: 'cancelled', finishedAt: ended }],
  ] as const)('%s calls for nothing', (_what, fields) => {
    expect(notificationFor(buildTask(fields as never))).toBeNull();
  });

  it('a question in review is one notification (input), not also a review one', () => {
    const n = notificationFor(
      buildTask({
        status: 'review',
        stopReason: 'input_required',
        inputRequired: true,
        pendingInput: QUESTION,
        finishedAt: ended,
      }),
    );
    expect(n!.kind).toBe('input_required');
    expect(n!.since).toBe(Date.parse(QUESTION.createdAt));
  });
});

describe('notificationOnChange', () => {
  const running = buildTask({ status: 'running', health: 'green' });
  const review = (stopReason: 'completed' | 'cost_cap' | 'circuit_open') =>
    ({ ...running, status: 'review', stopReason, finishedAt: ended }) as const;
  it.each([
    ['a first sighting', undefined, running, null],
    [
      'input required',
      running,
      { ...running, inputRequired: true, pendingInput: QUESTION },
      'input_required',
    ],
    [
      'another request while one is shown',
      { ...running, inputRequired: true, pendingInput: APPROVAL },
      { ...running, inputRequired: true, pendingInput: QUESTION },
      'input_required',
    ],
    ['turning red', running, { ...running, health: 'red' as const }, 'health_red'],
    ['staying red', { ...running, health: 'red' as const }, { ...running, health: 'red' as const }, null],
    ['failing', running, { ...running, status: 'failed' as const, finishedAt: ended }, 'failed'],
    ['finishing', running, review('completed'), 'review'],
    ['a cost cap', running, review('cost_cap'), 'cost_cap'],
    ['an open breaker', running, review('circuit_open'), 'circuit_open'],
    ['still in review', review('completed'), { ...review('completed'), title: 'renamed' }, null],
    ['accepting', review('completed'), { ...running, status: 'done' as const }, null],
  ] as const)('%s', (_name, before, after, kind) => {
    expect(notificationOnChange(before, after)?.kind ?? null).toBe(kind);
  });
});
