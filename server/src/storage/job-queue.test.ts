/**
 * The run queue on a real Postgres (pg-boss): one waiting job per task, a running task's job never holds
 * up the others, jobs put back come first, and worker commands are delivered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobQueue, type JobQueue } from './job-queue.js';
import { createPostgresDatabase, type TestDatabase } from './testing/databases.js';

describe('the run queue (pg-boss)', () => {
  let db: TestDatabase;
  let server: JobQueue;
  let worker: JobQueue;
  const errors: unknown[] = [];
  beforeAll(async () => {
    db = await createPostgresDatabase('job_queue');
    // Two processes of a fleet: a server that queues, a worker that claims.
    server = await openJobQueue(db.location, (_m, err) => errors.push(err));
    worker = await openJobQueue(db.location, (_m, err) => errors.push(err));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await worker?.close();
    await db?.drop();
  });

  it('keeps one waiting job per task, whoever queues it', async () => {
    const first = await server.enqueue('p1', 'a');
    expect(first).toEqual(expect.any(String));
    expect(await worker.enqueue('p1', 'a')).toBeNull();
    const [job] = await worker.claim(['p1'], 5);
    expect(job).toEqual({ id: first, projectId: 'p1', taskId: 'a' });
    await worker.complete(job!);
  });

  it("a task's job that is still running does not hold up the next task's job (claims one at a time)", async () => {
    await server.enqueue('p2', 'running');
    const [running] = await worker.claim(['p2'], 1);
    expect(running?.taskId).toBe('running');
    // A server that saw the task still queued queues it again, then the next task arrives.
    const again = await server.enqueue('p2', 'running');
    await server.enqueue('p2', 'next');
    const claimed = [...(await worker.claim(['p2'], 1)), ...(await worker.claim(['p2'], 1))];
    expect(claimed.map((j) => j.taskId).sort()).toEqual(again ? ['next', 'running'] : ['next']);
    for (const j of [running!, ...claimed]) await worker.complete(j);
  });

  it('claims across projects up to the number asked, and a job put back is claimed first', async () => {
    for (const t of ['x1', 'x2']) await server.enqueue('px', t);
    await server.enqueue('py', 'y1');
    const two = await worker.claim(['px', 'py'], 2);
    // One project's queue is asked first, and it has enough (its order within is pg-boss's).
    expect(two.map((j) => j.taskId).sort()).toEqual(['x1', 'x2']);
    await server.enqueue('px', 'x3');
    const x2 = two.find((j) => j.taskId === 'x2')!;
    await worker.requeue(x2);
    const next = await worker.claim(['px'], 1);
    expect(next.map((j) => j.taskId)).toEqual(['x2']);
    const rest = await worker.claim(['px', 'py'], 5);
    expect(rest.map((j) => j.taskId).sort()).toEqual(['x3', 'y1']);
    for (const j of [...two.filter((j) => j !== x2), ...next, ...rest]) await worker.complete(j);
  });

  it('a cancelled job is never claimed', async () => {
    const id = await server.enqueue('pc', 'gone');
    await server.cancel({ id: id!, projectId: 'pc' });
    expect(await worker.claim(['pc'], 5)).toEqual([]);
  });

  it('delivers each command once, to its worker only', async () => {
    await server.sendCommand('w1', { kind: 'stop', taskId: 't' });
    await server.sendCommand('w2', { kind: 'stop', taskId: 'u' });
    expect(await worker.takeCommands('w1', 10)).toEqual([{ kind: 'stop', taskId: 't' }]);
    expect(await worker.takeCommands('w1', 10)).toEqual([]);
    expect(await worker.takeCommands('w2', 10)).toEqual([{ kind: 'stop', taskId: 'u' }]);
    expect(errors).toEqual([]);
  });
});
