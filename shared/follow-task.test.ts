import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followTask } from './follow-task.js';
import { SubscriptionError } from './live-socket.js';
import { buildEvent } from './testing/build-event.js';
import { buildTaskDto } from './testing/build-task.js';
import type { SubscribeTaskOptions } from './ws-client.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => vi.useRealTimers());

const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

function setup(fresh = buildTaskDto({ status: 'running', updatedAt: at(0) })) {
  let stream: SubscribeTaskOptions | undefined;
  let closed = 0;
  const notes: string[] = [];
  const follower = followTask({
    baseUrl: 'http://127.0.0.1:1',
    client: { getTask: async () => fresh },
    task: buildTaskDto({ status: 'running', updatedAt: at(0) }),
    afterSeq: 2,
    onEvent: (e) => notes.push(`event ${e.seq}`),
    onTask: (t) => notes.push(`task ${t.status}`),
    onReconnecting: (e) => notes.push(`lost ${e.code}`),
    onReconnected: () => notes.push('back'),
    subscribe: (options) => {
      stream = options;
      return { close: () => (closed += 1) };
    },
  });
  return { follower, stream: () => stream!, notes, closed: () => closed };
}

describe('followTask', () => {
  it('streams after the given seq and ends once the stopped task’s last event arrived', async () => {
    const { follower, stream, notes, closed } = setup();
    expect(stream().afterSeq).toBe(2);
    stream().onEvent(buildEvent(3, 'notice', { message: 'x' }));
    stream().onTask?.(buildTaskDto({ status: 'review', lastEventSeq: 4, updatedAt: at(2) }));
    // An older state arriving late changes nothing.
    stream().onTask?.(buildTaskDto({ status: 'running', updatedAt: at(1) }));
    expect(closed()).toBe(0);
    stream().onEvent(buildEvent(4, 'notice', { message: 'y' }));
    expect((await follower.done).status).toBe('review');
    expect(notes).toEqual(['event 3', 'task review', 'event 4']);
    expect(closed()).toBe(1);
  });

  it('reads the task again after each subscription, says when the stream is lost and back, and waits out a grace', async () => {
    const { follower, stream, notes } = setup(
      buildTaskDto({ status: 'done', lastEventSeq: 9, updatedAt: at(5) }),
    );
    stream().onError?.(new SubscriptionError('disconnected', 'lost', false));
    stream().onError?.(new SubscriptionError('disconnected', 'lost again', false));
    stream().onSubscribed?.(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(notes).toEqual(['lost disconnected', 'back', 'task done']);
    let ended = false;
    const ending = follower.done.then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toBe(true);
    await ending;
  });

  it('fails with a fatal error, and stops when asked', async () => {
    const failing = setup();
    failing.stream().onError?.(new SubscriptionError('http_401', 'refused', true));
    await expect(failing.follower.done).rejects.toMatchObject({ code: 'http_401' });

    const stopped = setup();
    stopped.follower.stop();
    expect((await stopped.follower.done).status).toBe('running');
    expect(stopped.closed()).toBe(1);
  });
});
