import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import type { SubscribeTaskOptions } from '../../../shared/ws-client.js';
import { buildEvent, buildTask } from '../../../cli/src/testing/fixtures.js';
import { followLog } from './live-log.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => vi.useRealTimers());

const toolCall = (seq: number, command: string) =>
  buildEvent(seq, 'tool.called', { toolUseId: `t${seq}`, name: 'Bash', input: { command } });

function setup(task: TaskDto, stored: GluonEvent[], limit = 4096) {
  const shown: string[] = [];
  let stream: SubscribeTaskOptions | undefined;
  let current = task;
  const follower = followLog({
    client: {
      getTask: async () => current,
      events: async (_id, page) => {
        const events = stored.filter((e) => e.seq > (page?.after ?? 0));
        return { events, lastSeq: events.at(-1)?.seq ?? 0, more: false };
      },
    },
    stream: { baseUrl: 'http://127.0.0.1:1' },
    taskId: task.id,
    view: { show: async (text) => void shown.push(text) },
    limit,
    editIntervalMs: 1000,
    maxFollowMs: 60_000,
    publicUrl: 'http://gluon.test',
    log: () => {},
    subscribe: (options) => {
      stream = options;
      return { close: () => undefined };
    },
  });
  return {
    shown,
    follower,
    stream: () => stream!,
    setTask: (t: TaskDto) => (current = t),
  };
}

describe('followLog', () => {
  it('shows a finished task once, with its tool calls, and ends', async () => {
    const task = buildTask({ status: 'review', stopReason: 'completed', lastEventSeq: 2 });
    const { shown, follower } = setup(task, [toolCall(1, 'ls -la'), toolCall(2, 'npm test')]);
    await follower.done;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain(
      '📜 #abcd1234ef Fix the auth bug\nreview (completed) · $0.0123\n🔧 Bash: ls -la\n🔧 Bash: npm test',
    );
    expect(shown[0]).toMatch(/http:\/\/gluon\.test\/tasks\/abcd1234ef$/);
  });

  it('follows a running task with at most one edit per interval, then a final view', async () => {
    const task = buildTask({ status: 'running', lastEventSeq: 1 });
    const { shown, follower, stream, setTask } = setup(task, [toolCall(1, 'step 1')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('running · $0.0123 · live');
    for (let seq = 2; seq <= 20; seq++) stream().onEvent(toolCall(seq, `step ${seq}`));
    await vi.advanceTimersByTimeAsync(999);
    expect(shown).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toContain('🔧 Bash: step 20');

    const ended = buildTask({
      status: 'review',
      stopReason: 'completed',
      lastEventSeq: 21,
      updatedAt: '2025-01-01T01:00:00.000Z',
    });
    setTask(ended);
    stream().onEvent(
      buildEvent(21, 'status.changed', { from: 'running', to: 'review', reason: 'the agent finished' }),
    );
    stream().onTask?.(ended);
    await vi.advanceTimersByTimeAsync(1000);
    await follower.done;
    expect(shown).toHaveLength(3);
    expect(shown[2]).not.toContain('· live');
    expect(shown[2]).toContain('review (completed)');
    expect(shown[2]).toContain('▶ running → review (the agent finished)');
  });

  it('keeps the newest lines within the limit', async () => {
    const events = Array.from({ length: 800 }, (_, i) => toolCall(i + 1, `command number ${i + 1}`));
    const { shown, follower } = setup(buildTask({ status: 'done', lastEventSeq: 800 }), events, 2000);
    await follower.done;
    expect(shown[0]!.length).toBeLessThanOrEqual(2000);
    expect(shown[0]).toMatch(/… \d+ earlier lines/);
    expect(shown[0]).toContain('🔧 Bash: command number 800\n');
  });
});
