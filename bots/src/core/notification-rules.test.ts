import { describe, expect, it } from 'vitest';
import type { PendingInput } from '../../../shared/api.js';
import { buildTask } from '../../../cli/src/testing/fixtures.js';
import { notificationFor, renderNotification } from './notification-rules.js';

const ended = '2025-01-01T00:05:00.000Z';
const question: PendingInput = {
  requestId: 'req1',
  kind: 'question',
  live: false,
  text: 'Tabs or spaces?',
  createdAt: '2025-01-01T00:04:00.000Z',
};
const approval: PendingInput = {
  requestId: 'req2',
  kind: 'approval',
  live: true,
  toolName: 'Bash',
  toolInput: { command: 'rm -rf build' },
  reason: 'rm -rf is destructive',
  createdAt: '2025-01-01T00:04:00.000Z',
};

describe('notificationFor', () => {
  it.each([
    [
      'a question in review',
      { status: 'review', stopReason: 'input_required', inputRequired: true, pendingInput: question },
      'input_required',
      'input:abcd1234ef:req1',
      'asks: Tabs or spaces?',
    ],
    [
      'a live approval',
      { status: 'running', inputRequired: true, pendingInput: approval },
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
        pendingInput: question,
        finishedAt: ended,
      }),
    );
    expect(n!.kind).toBe('input_required');
    expect(n!.since).toBe(Date.parse(question.createdAt));
  });
});

describe('renderNotification', () => {
  it('names the task, the project, the reason, the cost and the link; an approval has its buttons', () => {
    const task = buildTask({
      status: 'running',
      inputRequired: true,
      pendingInput: approval,
      costUsd: 0.0123,
    });
    const reply = renderNotification(notificationFor(task)!, 'https://gluon.example.com/');
    expect(reply.text.split('\n')).toEqual([
      '❓ Needs your input — #abcd1234ef Fix the auth bug',
      'Project: demo · Cost so far: $0.0123',
      'Why: wants to run Bash: rm -rf build (rm -rf is destructive)',
      'https://gluon.example.com/tasks/abcd1234ef',
    ]);
    expect(reply.buttons).toEqual([
      [
        {
          label: '✅ Approve',
          action: { kind: 'approve', taskId: 'abcd1234ef', requestId: 'req2' },
          style: 'success',
        },
        {
          label: '⛔ Deny',
          action: { kind: 'deny', taskId: 'abcd1234ef', requestId: 'req2' },
          style: 'danger',
        },
      ],
    ]);
  });

  it('a question with options gets one button per option and an Answer… button', () => {
    const pending: PendingInput = {
      ...question,
      text: undefined,
      questions: [{ question: 'Which color?', options: [{ label: 'red' }, { label: 'blue' }] }],
    };
    const task = buildTask({ status: 'running', inputRequired: true, pendingInput: pending });
    const reply = renderNotification(notificationFor(task)!, 'http://127.0.0.1:45866');
    expect(reply.text).toContain('Why: asks: Which color?');
    expect(reply.text).toContain('Reply to this message to answer.');
    expect(reply.buttons!.map((row) => row.map((b) => b.label))).toEqual([['red', 'blue'], ['✍️ Answer…']]);
    expect(reply.buttons![0]![1]!.action).toEqual({
      kind: 'answer',
      taskId: 'abcd1234ef',
      requestId: 'req1',
      option: 1,
    });
  });
});
