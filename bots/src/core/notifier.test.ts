import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PendingInput, TaskDto } from '../../../shared/api.js';
import type { SubscribeBoardOptions } from '../../../shared/ws-client.js';
import { buildTask } from '../../../cli/src/testing/fixtures.js';
import { startNotifier, type NotifySurface } from './notifier.js';
import type { SurfaceName } from './reply.js';
import type { SentStore } from './sent-store.js';

const T0 = Date.parse('2025-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ESCALATE = 180_000;

/** The store's behaviour without the disk (sent-store.test.ts covers the file): shared across restarts. */
function memoryStore(): SentStore {
  const since = new Map<string, number>();
  const sent = new Set<string>();
  const origins = new Set<string>();
  return {
    since: (surface) => since.get(surface) ?? (since.set(surface, Date.now()), Date.now()),
    has: (surface, key) => sent.has(`${surface}|${key}`),
    mark: async (surface, key) => void sent.add(`${surface}|${key}`),
    forget: async (key) => {
      for (const entry of sent) if (entry.endsWith(`|${key}`)) sent.delete(entry);
    },
    isOrigin: (surface, taskId) => origins.has(`${surface}|${taskId}`),
    noteOrigin: async (surface, taskId) => void origins.add(`${surface}|${taskId}`),
  };
}

let store: SentStore;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  store = memoryStore();
});
afterEach(() => {
  vi.useRealTimers();
});

function start(failures: Partial<Record<SurfaceName, number>> = {}) {
  const sent: { surface: SurfaceName; key: string }[] = [];
  const tasks = new Map<string, TaskDto>();
  let board: SubscribeBoardOptions | undefined;
  const surfaces: NotifySurface[] = (['telegram', 'discord'] as const).map((name) => ({
    name,
    async send(n) {
      if ((failures[name] ?? 0) > 0) {
        failures[name]! -= 1;
        throw new Error('network down');
      }
      sent.push({ surface: name, key: n.key });
    },
  }));
  const notifier = startNotifier({
    client: { getTask: async (id) => tasks.get(id)! },
    stream: { baseUrl: 'http://127.0.0.1:1' },
    surfaces,
    store,
    escalateAfterMs: ESCALATE,
    log: () => {},
    retryDelaysMs: [1000],
    subscribe: (options) => {
      board = options;
      return { close: () => undefined };
    },
  });
  /** The server announces a task change (and the notifier's re-check reads the same state). */
  const update = async (task: TaskDto) => {
    tasks.set(task.id, task);
    board!.onTask(task);
    await vi.advanceTimersByTimeAsync(0);
  };
  const snapshot = async (list: TaskDto[]) => {
    for (const t of list) tasks.set(t.id, t);
    board!.onSnapshot(list);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { sent, notifier, update, snapshot, tasks };
}

const asking = (requestId: string, createdAt = T0): TaskDto => {
  const pendingInput: PendingInput = {
    requestId,
    kind: 'question',
    live: false,
    text: 'Tabs or spaces?',
    createdAt: iso(createdAt),
  };
  return buildTask({
    status: 'review',
    stopReason: 'input_required',
    inputRequired: true,
    pendingInput,
    updatedAt: iso(createdAt),
  });
};
const reviewed = (finishedAt: number) =>
  buildTask({
    status: 'review',
    stopReason: 'completed',
    finishedAt: iso(finishedAt),
    updatedAt: iso(finishedAt),
  });

describe('the notifier', () => {
  it('escalates a question to each chat once, after the delay', async () => {
    const { sent, update } = start();
    await update(asking('q1'));
    await update(asking('q1'));
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(ESCALATE);
    expect(sent).toEqual([
      { surface: 'telegram', key: 'input:abcd1234ef:q1' },
      { surface: 'discord', key: 'input:abcd1234ef:q1' },
    ]);
    await update(asking('q1'));
    await vi.advanceTimersByTimeAsync(ESCALATE);
    expect(sent).toHaveLength(2);
  });

  it('sends nothing for a question answered before the delay', async () => {
    const { sent, update } = start();
    await update(asking('q1'));
    await vi.advanceTimersByTimeAsync(ESCALATE / 2);
    await update(buildTask({ status: 'queued', updatedAt: iso(Date.now()) }));
    await vi.advanceTimersByTimeAsync(ESCALATE);
    expect(sent).toEqual([]);
  });

  it('reaches the surface that started the task at once, the others after the delay', async () => {
    const { sent, update, notifier } = start();
    await notifier.noteOrigin('telegram', 'abcd1234ef');
    await update(asking('q1'));
    expect(sent.map((s) => s.surface)).toEqual(['telegram']);
    await vi.advanceTimersByTimeAsync(ESCALATE);
    expect(sent.map((s) => s.surface)).toEqual(['telegram', 'discord']);
  });

  it('does not announce endings older than the surface, and announces newer ones once, across restarts', async () => {
    const first = start();
    await first.snapshot([reviewed(T0 - 60_000)]);
    expect(first.sent).toEqual([]);
    await first.update(reviewed(T0 + 1000));
    expect(first.sent).toHaveLength(2);
    first.notifier.close();

    vi.setSystemTime(T0 + 3_600_000);
    const second = start();
    await second.snapshot([reviewed(T0 + 1000)]);
    await second.snapshot([reviewed(T0 + 1000)]);
    expect(second.sent).toEqual([]);
    await second.update(asking('q2', T0 - 10 * ESCALATE));
    expect(second.sent.map((s) => s.key)).toEqual(['input:abcd1234ef:q2', 'input:abcd1234ef:q2']);
  });

  it('announces red health once it lasted, once; a red that clears or ends in a failure is not news', async () => {
    const { sent, update } = start();
    const red = () =>
      buildTask({ status: 'running', health: 'red', healthReason: 'looping', updatedAt: iso(Date.now()) });
    await update(red());
    await update(buildTask({ status: 'running', health: 'green' }));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toEqual([]);

    await update(red());
    await vi.advanceTimersByTimeAsync(20_000);
    await update(red());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent.map((s) => s.key)).toEqual(['red:abcd1234ef', 'red:abcd1234ef']);

    await update(buildTask({ status: 'running', health: 'green' }));
    await update(red());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sent).toHaveLength(4);
  });

  it('retries a failed delivery, on that surface only', async () => {
    const { sent, update } = start({ discord: 1 });
    await update(reviewed(T0 + 1000));
    expect(sent.map((s) => s.surface)).toEqual(['telegram']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.surface)).toEqual(['telegram', 'discord']);
  });
});
