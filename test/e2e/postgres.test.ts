/**
 * Gluon on PostgreSQL, end to end: `gluon serve` with GLUON_DATABASE_URL and one `gluon worker` on the
 * same machine run a task with the real Claude Code to review (the project has no remote: the worker
 * clones the checkout that registered it, and pushes the task's branch back there); and a SQLite installation made by a real run, copied with `gluon db copy`, serves the
 * same task, events and costs from Postgres.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { connectDatabase } from '../../server/src/storage/db.js';
import { createPostgresDatabase, type TestDatabase } from '../../server/src/storage/testing/databases.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import {
  agentEnv,
  cli,
  freePort,
  git,
  makeRepo,
  settled,
  spawnServe,
  startGluon,
  tempDir,
  waitForTask,
  type Gluon,
} from './harness.js';
import { spawnWorker, type FleetWorker } from './fleet-harness.js';

const WRITE = '[[scenario:write-file path=hello.txt content="Hello from Postgres"]] Create hello.txt';

/** Rows of a query against a Postgres database. */
async function pgRows<T>(url: string, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  const db = connectDatabase(url);
  try {
    return (await query.execute(db)).rows;
  } finally {
    await db.destroy();
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function connect(home: string, port: number): Promise<GluonClient> {
  const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
  return createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
}

describe('gluon serve on PostgreSQL', () => {
  let fake: FakeAnthropic;
  let database: TestDatabase;
  let home: string;
  let repo: string;
  let server: ChildProcess | undefined;
  let worker: FleetWorker | undefined;
  let workerHome: string;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    database = await createPostgresDatabase('e2e_serve');
    home = tempDir('pg-serve');
    workerHome = tempDir('pg-worker');
    repo = await makeRepo();
  });
  afterAll(async () => {
    await stop(worker?.child);
    await stop(server);
    await fake?.close();
    await database?.drop();
    for (const dir of [home, workerHome, repo]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a task with the real Claude Code to review, with its commit, all stored in Postgres', async () => {
    const port = await freePort();
    server = await spawnServe(home, { ...agentEnv(fake, home), GLUON_DATABASE_URL: database.location }, port);
    const client = await connect(home, port);
    await client.addProject({ path: repo, name: 'sample' });
    worker = await spawnWorker('solo', workerHome, {
      ...agentEnv(fake, workerHome),
      GLUON_HOME: workerHome,
      GLUON_DATABASE_URL: database.location,
    });
    const created = await client.createTask({ project: 'sample', prompt: WRITE });
    const task = await waitForTask(client, created.id, settled, 'the task to settle');
    expect(task.status).toBe('review');
    expect(task.worker).toBe('solo');
    expect(task.stopReason).toBe('completed');
    expect(await git(repo, 'show', `${task.branch}:hello.txt`)).toContain('Hello from Postgres');
    expect(await git(repo, 'log', '-1', '--format=%B', task.branch!)).toContain(`Gluon-Task: ${task.id}`);
    expect((await client.commits(task.id)).length).toBe(1);

    // Everything lives in Postgres: no SQLite file, and the rows are there.
    expect(existsSync(path.join(home, 'gluon.db'))).toBe(false);
    const { events } = await client.events(task.id, { limit: 10_000 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'git.committed')).toBe(true);
    const stored = await pgRows(
      database.location,
      sql<{
        n: number;
        last: number;
      }>`select count(*) as n, max(seq) as last from events where task_id = ${task.id}`,
    );
    expect(stored).toEqual([{ n: events.length, last: events.length }]);
    const [row] = await pgRows(
      database.location,
      sql<{
        status: string;
        last_seq: number;
        cost_usd: number;
      }>`select status, last_seq, cost_usd from tasks where id = ${task.id}`,
    );
    expect(row).toMatchObject({ status: 'review', last_seq: events.length });
    // The API rounds the task's cost to a millionth of a dollar; the row keeps every digit.
    expect(row!.cost_usd).toBeCloseTo(task.costUsd, 9);
    const costs = await pgRows(
      database.location,
      sql<{
        final: number;
        cost_usd: number;
      }>`select final, cost_usd from run_costs where task_id = ${task.id}`,
    );
    expect(costs.length).toBeGreaterThan(0);
    expect(costs.every((c) => c.final === 1)).toBe(true);
    expect(costs.reduce((sum, c) => sum + c.cost_usd, 0)).toBeCloseTo(task.costUsd, 9);
    const report = await client.costs('task');
    expect(report.total).toBeCloseTo(task.costUsd, 9);
    expect(report.rows).toEqual([expect.objectContaining({ key: task.id, runs: 1 })]);
  });
});

describe('gluon db copy of an installation made by a real run', () => {
  let database: TestDatabase;
  let server: ChildProcess | undefined;
  let g: Gluon | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase('e2e_copy');
  });
  afterAll(async () => {
    await stop(server);
    await g?.fake.close();
    await database?.drop();
    for (const dir of [g?.home, g?.repo]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies it without loss and serves the same task, events and costs from Postgres', async () => {
    g = await startGluon();
    const created = await g.client.createTask({ project: 'sample', prompt: WRITE });
    let before = await waitForTask(g.client, created.id, settled, 'the task to settle');
    expect(before.status).toBe('review');
    // Notes about the start (the checkout's state) may follow the settle, and the pool refills: wait
    // until the task's stream is still, then take what is copied.
    await g.server.services.workspaces.poolIdle();
    for (let last = -1; last !== before.lastEventSeq;) {
      last = before.lastEventSeq;
      await new Promise((r) => setTimeout(r, 500));
      before = await g.client.getTask(before.id);
    }
    const eventsBefore = (await g.client.events(before.id, { limit: 10_000 })).events;
    const runsBefore = await g.client.runs(before.id);
    const costsBefore = await g.client.costs('task');
    // The SQLite server stops; its data directory (token, worktrees, gluon.db) stays.
    await g.server.close();

    const copied = await cli(['db', 'copy', '--to', database.location], {
      ...process.env,
      GLUON_HOME: g.home,
    });
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(
      new RegExp(`^events\\s+${eventsBefore.length}\\s+[0-9a-f]{32}\\s+ok$`, 'm'),
    );
    expect(copied.stdout).toMatch(/^run_costs\s+[1-9]\d*\s+[0-9a-f]{32}\s+ok$/m);
    expect(copied.stdout).toMatch(/Verified \d+ tables/);

    const port = await freePort();
    server = await spawnServe(
      g.home,
      { ...agentEnv(g.fake, g.home), GLUON_DATABASE_URL: database.location },
      port,
    );
    const client = await connect(g.home, port);
    expect(await client.getTask(before.id)).toEqual(before);
    expect((await client.events(before.id, { limit: 10_000 })).events).toEqual(eventsBefore);
    expect(await client.runs(before.id)).toEqual(runsBefore);
    expect(await client.costs('task')).toEqual(costsBefore);
    expect((await client.listProjects()).map((p) => p.name)).toEqual(['sample']);
    expect(await client.commits(before.id)).toHaveLength(1);
  });
});
