import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { settled, startGluon, waitForTask, type Gluon } from './harness.js';

describe('the queue', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon({ maxConcurrentTasks: 2 });
  });
  afterAll(async () => g?.close());

  it('runs at most the configured number of tasks at once, first in first out', async () => {
    const created: TaskDto[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        await g.client.createTask({ project: 'sample', prompt: `[[scenario:slow ms=1200]] task ${i}` }),
      );
    }
    let maxRunning = 0;
    const ids = new Set(created.map((t) => t.id));
    for (;;) {
      const tasks = (await g.client.listTasks()).filter((t) => ids.has(t.id));
      maxRunning = Math.max(maxRunning, tasks.filter((t) => t.status === 'running').length);
      if (tasks.every(settled)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(maxRunning).toBe(2);
    const finished = await Promise.all(created.map((t) => waitForTask(g.client, t.id, settled, 'the task')));
    expect(finished.every((t) => t.status === 'review')).toBe(true);
    const byStart = [...finished]
      .sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!))
      .map((t) => t.id);
    expect(byStart).toEqual(created.map((t) => t.id));
  });

  it('Queue → Running starts a task now, past the limit; Running → Queue pauses it and keeps its session', async () => {
    const a = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=100]] a',
    });
    const b = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=100]] b',
    });
    const c = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=100]] c',
    });
    await waitForTask(g.client, b.id, (t) => t.status === 'running', 'b to run');
    await waitForTask(g.client, a.id, (t) => t.sessionId !== null, 'a to have a session');
    expect((await g.client.getTask(c.id)).status).toBe('queued');
    const started = await g.client.move(c.id, 'running');
    expect(started.status).toBe('running');
    const paused = await g.client.move(a.id, 'queued');
    // With the limit at 2 and c started by hand, a stays queued until a slot frees.
    expect(paused.status).toBe('queued');
    expect(paused.stopReason).toBe('interrupted');
    expect(paused.sessionId).toBeTruthy();
    for (const t of [a, b, c]) await g.client.cancel(t.id);
    const after = await Promise.all([a, b, c].map((t) => g.client.getTask(t.id)));
    expect(after.map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});
