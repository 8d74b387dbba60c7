/**
 * The data directory damaged or contended, through the built `gluon serve`: a corrupted config.json, the
 * database locked by another process at start and while a task runs. Each time: a clear error, nothing
 * lost, and every task ends in a status that tells the truth.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { ApiError } from '../../shared/client.js';
import { agentEnv, freePort, makeRepo, settled, tempDir, waitForTask } from './harness.js';
import {
  holdWriteLock,
  integrityOf,
  processesUnder,
  serve,
  serveRefused,
  stop,
  until,
  type Serve,
} from './reliability-harness.js';

describe('reliability: a damaged config.json, a locked database', () => {
  let fake: FakeAnthropic;
  let home: string;
  let repo: string;
  let port: number;
  let server: Serve | undefined;
  const env = () => ({ ...agentEnv(fake, home), GLUON_HOME: home });

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = tempDir('rel-db');
    repo = await makeRepo();
    port = await freePort();
    server = await serve(home, env(), port);
    await server.client.addProject({ path: repo, name: 'sample' });
  }, 120_000);
  afterAll(async () => {
    await stop(server?.child, 'SIGTERM');
    await fake.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  it('a corrupted config.json: the server refuses to start in one line naming the file; data intact after', async () => {
    await stop(server!.child, 'SIGTERM');
    const config = path.join(home, 'config.json');
    const damaged = ['{"maxConcurrentTasks": 4,', '{"maxConcurrentTasks": "lots"}'];
    try {
      for (const text of damaged) {
        writeFileSync(config, text);
        const { code, out, err } = await serveRefused(home, env(), port);
        expect(out).not.toContain('serving on');
        expect(code).toBe(1);
        const lines = err.trim().split('\n');
        expect(lines, err).toHaveLength(1);
        expect(lines[0]).toMatch(/^gluon: cannot start the server: invalid configuration/);
        expect(lines[0]).toContain(config);
      }
    } finally {
      rmSync(config, { force: true });
    }
    server = await serve(home, env(), port);
    expect((await server.client.listProjects()).map((p) => p.name)).toEqual(['sample']);
    expect(integrityOf(home)).toBe('ok');
  }, 240_000);

  it('the database locked by another process while a task runs: reads go on, writes say so, the task ends truthfully', async () => {
    const { client } = server!;
    const task = await client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=1500]] slowly' });
    const running = await waitForTask(
      client,
      task.id,
      (t) => t.status === 'running' && t.sessionId !== null,
      'the agent',
    );
    const before = await client.events(task.id, { limit: 10_000 });

    const lock = await holdWriteLock(path.join(home, 'gluon.db'));
    try {
      // Reads are served from the WAL snapshot while another process holds the write lock.
      expect((await client.getTask(task.id)).id).toBe(task.id);
      // A write waits for the lock (busy timeout), then answers with what is wrong, not a generic 500.
      const refused = await client.createTask({ project: 'sample', prompt: 'later' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ApiError);
      expect([(refused as ApiError).status, (refused as ApiError).code]).toEqual([503, 'database_busy']);
      // The agent finishes while the lock is still held, and the server's writes of its end time out.
      await until(() => processesUnder(running.worktreePath!).length === 0, 'the agent to exit');
      await until(
        () => /recording a run of task \w+ failed/.test(server!.log()),
        'the end of the run to fail',
      );
    } finally {
      await lock.release();
    }

    const done = await waitForTask(client, task.id, settled, 'the task to settle once the lock is gone');
    expect(['review', 'failed']).toContain(done.status);
    if (done.status === 'failed') expect(done.error).toBeTruthy();
    const after = await client.events(task.id, { limit: 10_000 });
    expect(after.events.map((e) => e.seq)).toEqual(after.events.map((_, i) => i + 1));
    for (const e of before.events) expect(after.events[e.seq - 1]).toEqual(e);
    expect(await client.listTasks({ status: 'running' })).toEqual([]);

    const next = await client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=200]] again' });
    expect((await waitForTask(client, next.id, settled, 'a task after the lock')).status).toBe('review');
  }, 240_000);

  it('the database locked when a crashed server restarts: it refuses in one line, then recovers once the lock is gone', async () => {
    const { client } = server!;
    const task = await client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=4000]] crash me' });
    await waitForTask(client, task.id, (t) => t.status === 'running' && t.sessionId !== null, 'the agent');
    await stop(server!.child, 'SIGKILL');
    const lock = await holdWriteLock(path.join(home, 'gluon.db'));
    let refused;
    try {
      refused = await serveRefused(home, env(), port);
    } finally {
      await lock.release();
    }
    expect(refused.code, refused.out + refused.err).toBe(1);
    expect(refused.err.trim()).toMatch(/^gluon: cannot start the server: .*locked/);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    server = await serve(home, env(), port);
    const done = await waitForTask(server.client, task.id, settled, 'the interrupted task to settle');
    expect(done.status).toBe('review');
    expect(integrityOf(home)).toBe('ok');
  }, 240_000);
});
