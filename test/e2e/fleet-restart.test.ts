/**
 * PostgreSQL restarted under a running fleet (a cluster of the test's own, so the machine's server is not
 * touched): the server and the worker reconnect (pool, change feed, pg-boss), the tasks that were running
 * finish with their work on their branches, none is left `running`, and new work is taken as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../shared/events.js';
import { settled, waitForTask } from './harness.js';
import { fileOnRemote, startFleet, type Fleet } from './fleet-harness.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

describe('Postgres restarted mid-run', () => {
  let f: Fleet;
  let pg: PrivatePostgres;
  let serverOut = '';
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    f = await startFleet('restart', {}, pg);
    await f.startWorker('steady', { capacity: 2 });
    f.servers[0]!.child.stderr!.on('data', (d: Buffer) => (serverOut += d.toString()));
    f.servers[0]!.child.stdout!.on('data', (d: Buffer) => (serverOut += d.toString()));
  }, 120_000);
  afterAll(async () => {
    if (process.env.DEBUG_FLEET) console.log(`SERVER:\n${serverOut}\nWORKER:\n${f.workers[0]?.output()}`);
    await f?.close();
  }, 120_000);

  it('servers and workers reconnect; the running tasks finish and no task is stuck running', async () => {
    const client = f.servers[0]!.client;
    const prompt = '[[scenario:steps n=3 delay=1500]] Write three steps';
    const tasks = [
      await client.createTask({ project: 'sample', prompt }),
      await client.createTask({ project: 'sample', prompt }),
    ];
    const working = async (id: string) =>
      ((await client.events(id, { limit: 10_000 })).events as GluonEvent[]).some(
        (e) => e.type === 'tool.result',
      );
    const deadline = Date.now() + 90_000;
    while (!(await Promise.all(tasks.map((t) => working(t.id)))).every(Boolean) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    for (const t of tasks) expect((await client.getTask(t.id)).status).toBe('running');

    await pg.restart();

    const done = await Promise.all(
      tasks.map((t) => waitForTask(client, t.id, settled, 'the task to settle after the restart', 150_000)),
    );
    for (const t of done) {
      expect(t.status, JSON.stringify(t)).toBe('review');
      for (const n of [1, 2, 3])
        expect(await fileOnRemote(f.remote, t.branch!, `step-${n}.txt`)).toBe(`step ${n}`);
    }
    // New work after the restart is dispatched and run as before.
    const after = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=after.txt content="after the restart"]] Write after.txt',
    });
    const finished = await waitForTask(client, after.id, settled, 'a task created after the restart', 90_000);
    expect(finished.status).toBe('review');
    expect(await fileOnRemote(f.remote, finished.branch!, 'after.txt')).toBe('after the restart');
    expect((await client.listTasks({})).filter((t) => t.status === 'running')).toEqual([]);
    expect((await client.workers()).map((w) => [w.name, w.status])).toEqual([['steady', 'alive']]);
  }, 300_000);
});
