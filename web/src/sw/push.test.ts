import { describe, expect, it } from 'vitest';
import type { PushPayload } from '../../../shared/intake-api.js';
import { actionRequest, notificationFor } from './push.js';

const approval: PushPayload = {
  title: 'Fix the login needs you',
  body: 'Bash waits for approval',
  kind: 'input_required',
  taskId: 'abc123def456',
  url: '/tasks/abc123def456',
  approval: { requestId: 'r1', approve: 'A'.repeat(43), deny: 'D'.repeat(43) },
};

describe('push in the service worker', () => {
  it('shows Approve and Deny only for an approval, and nothing for a foreign payload', () => {
    expect(notificationFor(approval)?.options.actions?.map((a) => a.action)).toEqual(['approve', 'deny']);
    const review = notificationFor({ ...approval, kind: 'review', approval: undefined });
    expect(review?.options).toMatchObject({ tag: 'gluon-abc123def456', body: 'Bash waits for approval' });
    expect(review?.options.actions).toBeUndefined();
    expect(notificationFor({ hello: 1 })).toBeNull();
    expect(notificationFor(null)).toBeNull();
  });

  it('posts the signed decision for an action, and nothing for a plain click', () => {
    const deny = actionRequest(approval, 'deny')!;
    expect(deny.url).toBe('/api/push/action');
    expect(JSON.parse(deny.init.body as string)).toEqual({
      taskId: 'abc123def456',
      requestId: 'r1',
      action: 'deny',
      signature: 'D'.repeat(43),
    });
    expect((deny.init.headers as Record<string, string>)['x-gluon-push-action']).toBe('1');
    expect(actionRequest(approval, '')).toBeNull();
    expect(actionRequest({ ...approval, approval: undefined }, 'approve')).toBeNull();
  });
});
