import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import type { GluonEvent } from '../../shared/events.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import { subscribeTask } from '../../shared/ws-client.js';
import { isAlive } from '../../server/src/runner/process-group.js';
import {
  agentEnv,
  freePort,
  git,
  makeRepo,
  settled,
  spawnServe,
  startGluon,
  tempDir,
  waitForTask,
} from './harness.js';
import path from 'node:path';

/** Pids of live processes whose working directory is `dir` (the agent and anything it started there). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

describe('restart safety: kill -9 of the server mid-run', () => {
  let fake: FakeAnthropic;
  let home: string;
  let repo: string;
  let server: ChildProcess | undefined;
  let port: number;
  let client: GluonClient;
  const env = () => ({ ...agentEnv(fake, home), GLUON_HOME: home });

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = tempDir('restart');
    repo = await makeRepo();
    port = await freePort();
    server = await spawnServe(home, env(), port);
    const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
    client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    await client.addProject({ path: repo, name: 'sample' });
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await fake.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  it('leaves no task stuck in running, no orphan agent, and loses no acknowledged event', async () => {
    const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
    const created = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:slow ms=8000]] take your time',
    });
    const seen: GluonEvent[] = [];
    const sub = subscribeTask({
      baseUrl: `http://127.0.0.1:${port}`,
      token,
      taskId: created.id,
      afterSeq: 0,
      onEvent: (e) => seen.push(e),
      maxRetries: 0,
    });
    const running = await waitForTask(
      client,
      created.id,
      (t) => t.status === 'running' && seen.some((e) => e.type === 'agent.delta'),
      'the agent to stream',
    );
    const agents = processesIn(running.worktreePath!);
    expect(agents.length).toBeGreaterThan(0);

    server!.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    sub.close();
    const acknowledged = [...seen];

    server = await spawnServe(home, env(), port);
    // The agent of the dead server is gone (reaped by recovery, or it ended when its pipes closed).
    for (const pid of agents) expect(isAlive(pid), `agent process ${pid} survived the restart`).toBe(false);
    // The task was resumed through its session and finishes; it never stays running without an agent.
    const done = await waitForTask(client, created.id, settled, 'the resumed task to settle');
    expect(done.status).toBe('review');
    expect(done.sessionId).toBe(running.sessionId);
    const runs = await client.runs(created.id);
    expect(runs.map((r) => [r.kind, r.stopReason])).toEqual([
      ['initial', 'interrupted'],
      ['resume', 'completed'],
    ]);
    const { events } = await client.events(created.id, { limit: 10_000 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (const e of acknowledged) expect(events[e.seq - 1]).toEqual(e);
    expect(processesIn(running.worktreePath!).filter(isAlive)).toEqual([]);
  });

  it('kill -9 with four tasks running: each is resumed or failed with a reason, none left running, no orphan', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await client.createTask({ project: 'sample', prompt: `[[scenario:slow ms=6000]] task ${i}` })).id,
      );
    }
    const running = await Promise.all(
      ids.map((id) =>
        waitForTask(client, id, (t) => t.status === 'running' && t.sessionId !== null, 'all four to run'),
      ),
    );
    const agents = running.flatMap((t) => processesIn(t.worktreePath!));
    expect(agents.length).toBeGreaterThanOrEqual(4);
    const before = await Promise.all(ids.map((id) => client.events(id, { limit: 10_000 })));

    server!.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    server = await spawnServe(home, env(), port);

    for (const pid of agents) expect(isAlive(pid), `agent process ${pid} survived the restart`).toBe(false);
    const after = await Promise.all(
      ids.map((id) => waitForTask(client, id, settled, 'every task to settle', 120_000)),
    );
    for (const t of after) {
      expect(['review', 'failed']).toContain(t.status);
      if (t.status === 'failed') expect(t.error).toBeTruthy();
    }
    for (const [i, id] of ids.entries()) {
      const { events } = await client.events(id, { limit: 10_000 });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
      for (const e of before[i]!.events) expect(events[e.seq - 1]).toEqual(e);
    }
    for (const t of running) expect(processesIn(t.worktreePath!).filter(isAlive)).toEqual([]);
  });
});

describe('a clean shutdown while the pool of ready worktrees refills', () => {
  it('finishes the ready worktree it was making: each one left is registered, checked out and clean', async () => {
    const g = await startGluon();
    try {
      // Enough files that the refill's checkout is still going when the server is told to stop.
      mkdirSync(path.join(g.repo, 'many'));
      for (let i = 0; i < 5000; i++) writeFileSync(path.join(g.repo, 'many', `f${i}.txt`), `${i}\n`);
      await git(g.repo, 'add', '--all');
      await git(g.repo, 'commit', '-q', '-m', 'many files');
      const task = await g.client.createTask({
        project: 'sample',
        prompt: '[[scenario:slow ms=8000]] take your time',
      });
      // The refill starts once the agent's session has begun: stop the server right then.
      await new Promise<void>((resolve) => {
        const sub = subscribeTask({
          baseUrl: g.server.url,
          token: g.server.token,
          taskId: task.id,
          afterSeq: 0,
          onEvent: (e: GluonEvent) => {
            if (e.type !== 'run.session') return;
            sub.close();
            resolve();
          },
        });
      });
      await g.server.close();
      const pool = path.join(g.home, 'worktree-pool');
      const made = readdirSync(pool);
      expect(made.length).toBeGreaterThan(0);
      const registered = await git(g.repo, 'worktree', 'list', '--porcelain');
      for (const dir of made) {
        expect(registered).toContain(`worktree ${path.join(pool, dir)}\n`);
        // A worktree added without a checkout and not yet reset lists every file as deleted.
        expect(await git(path.join(pool, dir), 'status', '--porcelain')).toBe('');
      }
    } finally {
      await g.fake.close();
      await g.openai.close();
      rmSync(g.home, { recursive: true, force: true });
      rmSync(g.repo, { recursive: true, force: true });
    }
  });
});
