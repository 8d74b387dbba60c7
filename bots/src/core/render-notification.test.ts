import { describe, expect, it } from 'vitest';
import type { PendingInput } from '../../../shared/api.js';
import { APPROVAL, QUESTION } from '../../../shared/testing/build-pending.js';
import { buildTask } from '../../../cli/src/testing/fixtures.js';
import { notificationFor } from '../../../shared/notification-rules.js';
import { renderNotification } from './render-notification.js';

describe('renderNotification', () => {
  it('names the task, the project, the reason, the cost and the link; an approval has its buttons', () => {
    const task = buildTask({
      status: 'running',
      inputRequired: true,
      pendingInput: APPROVAL,
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
      ...QUESTION,
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
