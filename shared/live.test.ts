import { describe, expect, it } from 'vitest';
import type { GluonEvent } from './events.js';
import { LiveConnection, type LiveOptions } from './live.js';
import type { SubscriptionError } from './live-socket.js';
import { FakeSocket, manualTimers } from './testing/fake-socket.js';
import { buildTaskDto } from './testing/build-task.js';

const event = (taskId: string, seq: number): GluonEvent =>
  ({ seq, taskId, runId: null, ts: '', type: 'notice', data: { message: `${taskId}#${seq}` } }) as GluonEvent;

function setup(options: Partial<LiveOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const timers = manualTimers();
  const errors: SubscriptionError[] = [];
  const live = new LiveConnection({
    url: 'ws://127.0.0.1:1/api/ws',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timers,
    onError: (error) => errors.push(error),
    ...options,
  });
  const last = () => sockets.at(-1)!;
  return { live, sockets, timers, errors, last };
}

describe('LiveConnection', () => {
  it('resumes every task after its last delivered seq across a drop mid-stream: no gap, no duplicate', () => {
    const { live, timers, last, sockets } = setup();
    const got: Record<string, number[]> = { t1: [], t2: [] };
    const board: string[] = [];
    live.start();
    live.watchBoard((m) => board.push(m.type));
    live.watchTask('t1', 0, { onEvent: (e) => got.t1!.push(e.seq) });
    live.watchTask('t2', 5, { onEvent: (e) => got.t2!.push(e.seq) });
    last().open();
    expect(last().sent).toEqual([
      { type: 'subscribe.board' },
      { type: 'subscribe.task', taskId: 't1', afterSeq: 0 },
      { type: 'subscribe.task', taskId: 't2', afterSeq: 5 },
    ]);
    for (const [task, seq] of [
      ['t1', 1],
      ['t2', 6],
      ['t1', 2],
      ['t1', 2],
      ['t2', 7],
      ['t1', 3],
    ] as const)
      last().receive({ type: 'event', event: event(task, seq) });
    last().drop();
    timers.runNext(250);
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual([
      { type: 'subscribe.board' },
      { type: 'subscribe.task', taskId: 't1', afterSeq: 3 },
      { type: 'subscribe.task', taskId: 't2', afterSeq: 7 },
    ]);
    // A backlog that overlaps what was delivered, then live events, one of them stale.
    for (const [task, seq] of [
      ['t1', 2],
      ['t1', 3],
      ['t1', 4],
      ['t2', 7],
      ['t2', 8],
      ['t1', 1],
      ['t1', 5],
    ] as const)
      last().receive({ type: 'event', event: event(task, seq) });
    last().receive({ type: 'board.snapshot', tasks: [] });
    expect(got).toEqual({ t1: [1, 2, 3, 4, 5], t2: [6, 7, 8] });
    expect(board).toEqual(['board.snapshot']);
  });

  it('backs off exponentially up to its cap, and starts over once a server answered', () => {
    const { live, timers, last, errors } = setup({ backoff: { initialMs: 100, maxMs: 400 } });
    const states: string[] = [];
    live.onState((s) => states.push(s));
    live.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      last().drop();
      delays.push(timers.pending.at(-1)!.ms);
      timers.runNext();
    }
    expect(delays).toEqual([100, 200, 400, 400]);
    // Accepted but silent (a server going down as it starts) still counts as a failure…
    last().open();
    last().drop();
    expect(timers.pending.at(-1)!.ms).toBe(400);
    timers.runNext();
    // …one that answered does not.
    last().open();
    last().receive({ type: 'pong' });
    last().drop();
    expect(timers.pending.at(-1)!.ms).toBe(100);
    expect(errors.every((e) => e.code === 'disconnected' && !e.fatal)).toBe(true);
    expect(states).toEqual(['connecting', 'open', 'connecting', 'open', 'connecting']);
  });

  it('ends on a refused upgrade, and after maxRetries failures in a row, saying why', () => {
    const refused = setup();
    refused.live.start();
    refused.last().drop(401);
    expect(refused.timers.pending).toEqual([]);
    expect(refused.live.state).toBe('closed');
    expect(refused.errors.map((e) => [e.code, e.fatal])).toEqual([['http_401', true]]);

    const gone = setup({ maxRetries: 2 });
    gone.live.start();
    for (let i = 0; i < 2; i += 1) {
      gone.last().drop(502);
      gone.timers.runNext();
    }
    gone.last().drop();
    expect(gone.sockets).toHaveLength(3);
    expect(gone.timers.pending).toEqual([]);
    expect(gone.errors.map((e) => e.code)).toEqual(['disconnected', 'disconnected', 'unreachable']);
  });

  it('pings, and drops a connection that stopped answering, then reconnects and ignores the old one', () => {
    const { live, timers, sockets, last } = setup();
    const got: number[] = [];
    live.start();
    live.watchTask('t1', 0, { onEvent: (e) => got.push(e.seq) });
    last().open();
    timers.runNext(25_000);
    expect(last().sent.at(-1)).toEqual({ type: 'ping' });
    timers.runNext(25_000); // nothing came back
    expect(sockets[0]!.closedWith).toBeUndefined();
    expect(live.state).toBe('connecting');
    sockets[0]!.receive({ type: 'event', event: event('t1', 1) });
    expect(got).toEqual([]);
    timers.runNext(250);
    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe.task', taskId: 't1', afterSeq: 0 }]);
  });

  it('gives task updates to the task and the board, and server errors to every task', () => {
    const { live, last, errors } = setup();
    const seen: string[] = [];
    live.start();
    live.watchBoard((m) => seen.push(`board ${m.type}`));
    live.watchTask('abcd00000001', 0, {
      onEvent: () => undefined,
      onTask: (t) => seen.push(`task ${t.status}`),
      onSubscribed: (seq) => seen.push(`subscribed ${seq}`),
      onError: (e) => seen.push(`error ${e.code} ${e.fatal}`),
    });
    last().open();
    last().receive({ type: 'subscribed', taskId: 'abcd00000001', seq: 4 });
    last().receive({ type: 'task.updated', task: buildTaskDto({ status: 'running' }) });
    last().receive({ type: 'task.removed', taskId: 'x' });
    last().receive({ type: 'error', error: { code: 'not_found', message: 'no task' } });
    last().receive('not json at all');
    expect(seen).toEqual([
      'subscribed 4',
      'task running',
      'board task.updated',
      'board task.removed',
      'error not_found true',
    ]);
    expect(errors.map((e) => e.code)).toEqual(['not_found']);
    expect(live.state).toBe('open');
  });

  it('unsubscribes a task, reconnects at once when asked, and stops for good', () => {
    const { live, timers, sockets, last } = setup();
    live.start();
    const off = live.watchTask('t1', 0, { onEvent: () => undefined });
    last().open();
    off();
    expect(last().sent.at(-1)).toEqual({ type: 'unsubscribe.task', taskId: 't1' });
    last().drop();
    live.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(timers.pending).toEqual([]);
    last().open();
    expect(last().sent).toEqual([]);
    live.stop();
    expect(last().closedWith).toBe(1000);
    expect(live.state).toBe('closed');
    expect(timers.pending).toEqual([]);
  });
});
