import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import { useFakeApi } from '../testing/fake-api.js';
import { buildEvent, buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

const stored = [
  buildEvent(1, 'status.changed', { from: 'queued', to: 'running' }),
  buildEvent(2, 'tool.called', { toolUseId: 't1', name: 'Bash', input: { command: 'npm test' } }),
];

/** Serves `events` from GET /events (honouring after/limit) and `task` for both the prefix and the full id. */
function serveTask(task: () => TaskDto, events: GluonEvent[]) {
  fake.api.on('GET', '/api/tasks/abcd', () => ({ body: task() }));
  fake.api.on('GET', '/api/tasks/abcd1234ef', () => ({ body: task() }));
  fake.api.on('GET', '/api/tasks/abcd1234ef/events', (request) => {
    const after = Number(request.query.after ?? 0);
    const page = events.filter((e) => e.seq > after).slice(0, Number(request.query.limit ?? 1000));
    return { body: { events: page, lastSeq: events.at(-1)?.seq ?? 0 } };
  });
}

describe('gluon logs', () => {
  it('prints the stored events and a summary, without opening the stream', async () => {
    const done = buildTask({ status: 'review', stopReason: 'completed', costUsd: 0.05, lastEventSeq: 2 });
    serveTask(() => done, stored);
    let connections = 0;
    fake.api.wss.on('connection', () => (connections += 1));
    const result = await runGluon(['logs', 'abcd', '-f'], fake.env);
    expect(result).toEqual({
      code: 0,
      stdout:
        '[status] queued → running\n[tool] Bash: npm test\n── task abcd1234ef: review · completed · $0.0500\n',
      stderr: '',
    });
    expect(connections).toBe(0);
  });

  it('follows the live stream across a dropped connection until the task stops running', async () => {
    const running = buildTask({ status: 'running', lastEventSeq: 2, updatedAt: '2025-01-01T00:00:01.000Z' });
    serveTask(() => running, stored);
    const subscriptions: unknown[] = [];
    let connection = 0;
    fake.api.wss.on('connection', (socket) => {
      const index = connection++;
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as { type: string; taskId: string; afterSeq: number };
        if (message.type !== 'subscribe.task') return;
        subscriptions.push(message);
        const send = (value: unknown) => socket.send(JSON.stringify(value));
        const event = (e: GluonEvent) => send({ type: 'event', event: e });
        send({ type: 'subscribed', taskId: message.taskId, seq: message.afterSeq });
        if (index === 0) {
          event(buildEvent(3, 'agent.delta', { messageId: 'm1', index: 0, kind: 'text', text: 'All ' }));
          setTimeout(() => socket.terminate(), 30);
          return;
        }
        event(buildEvent(4, 'agent.delta', { messageId: 'm1', index: 0, kind: 'text', text: 'tests pass.' }));
        event(buildEvent(5, 'agent.text', { messageId: 'm1', text: 'All tests pass.' }));
        event(buildEvent(6, 'status.changed', { from: 'running', to: 'review' }));
        // The task update may overtake the run's last events: the CLI waits for lastEventSeq.
        const review = {
          ...running,
          status: 'review',
          stopReason: 'completed',
          costUsd: 0.05,
          lastEventSeq: 7,
        };
        send({ type: 'task.updated', task: { ...review, updatedAt: '2025-01-01T00:00:02.000Z' } });
        setTimeout(
          () => event(buildEvent(7, 'run.ended', { runId: 'r1', stopReason: 'completed', costUsd: 0.05 })),
          100,
        );
      });
    });

    const result = await runGluon(['logs', 'abcd', '--follow'], fake.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '[status] queued → running',
        '[tool] Bash: npm test',
        // The reconnect notice on stderr ended the streamed line; the block continues below it.
        'All ',
        'tests pass.',
        '[status] running → review',
        '[run] ended: completed · $0.0500',
        '── task abcd1234ef: review · completed · $0.0500',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('gluon: lost the live stream, reconnecting…\ngluon: reconnected\n');
    expect(subscriptions).toEqual([
      { type: 'subscribe.task', taskId: 'abcd1234ef', afterSeq: 2 },
      { type: 'subscribe.task', taskId: 'abcd1234ef', afterSeq: 3 },
    ]);
  });

  it('stops when a fresh read after subscribing shows the task already ended', async () => {
    let reads = 0;
    const running = buildTask({ status: 'running', lastEventSeq: 2 });
    const failed = { ...running, status: 'failed' as const, stopReason: 'error' as const, error: 'boom' };
    serveTask(() => (reads++ === 0 ? running : { ...failed, updatedAt: '2025-01-02T00:00:00.000Z' }), stored);
    fake.api.wss.on('connection', (socket) =>
      socket.on('message', () =>
        socket.send(JSON.stringify({ type: 'subscribed', taskId: 'abcd1234ef', seq: 2 })),
      ),
    );
    const result = await runGluon(['logs', 'abcd', '-f'], fake.env);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      '── task abcd1234ef: failed · error · $0.0123 · boom',
    );
  });

  it('prints the events as JSON lines with --json', async () => {
    serveTask(() => buildTask({ status: 'done', lastEventSeq: 2 }), stored);
    const result = await runGluon(['logs', 'abcd', '--json'], fake.env);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(stored);
  });

  it('exits 1 when the task does not exist', async () => {
    const result = await runGluon(['logs', 'zzzz'], fake.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^gluon: no route/);
  });
});
