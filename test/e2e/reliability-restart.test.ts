/**
 * kill -9 of `gluon serve` with every task running a real Claude Code agent, restarted, again and again
 * (4 tasks × 2 rounds by default; 20 tasks × 10 rounds with GLUON_SOAK=1). After each restart: the dead
 * server's agents are gone, every interrupted run is closed as such, every task is resumed (or failed with
 * a reason), no acknowledged event is lost or duplicated, the database is sound. At the end the tasks are
 * cancelled: nothing left running, no orphan process or worktree, the agents' work on their branches.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import type { TaskDto } from '../../shared/api.js';
import type { GluonEvent } from '../../shared/events.js';
import { isAlive } from '../../server/src/runner/process-group.js';
import { agentEnv, freePort, git, makeRepo, tempDir, waitForTask } from './harness.js';
import { integrityOf, processesUnder, scale, serve, stop, type Serve } from './reliability-harness.js';

const TASKS = scale(4, 20);
const ROUNDS = scale(2, 10);

describe(`reliability: kill -9 with ${TASKS} tasks running, ${ROUNDS} times`, () => {
  let fake: FakeAnthropic;
  let home: string;
  let repo: string;
  let port: number;
  let server: Serve | undefined;
  const env = () => ({ ...agentEnv(fake, home), GLUON_HOME: home, GLUON_MAX_CONCURRENT: String(TASKS) });

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = tempDir('rel-restart');
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

  /**
   * Waits until every task runs its `n`th run with a live agent whose work has begun: a tool call of this
   * run has its result (a call alone may be killed before it runs, and the branch would hold no tick).
   */
  async function allWorking(ids: string[], n: number): Promise<TaskDto[]> {
    const { client } = server!;
    return Promise.all(
      ids.map(async (id) => {
        const t = await waitForTask(
          client,
          id,
          (x) => x.status === 'running' && !!x.worktreePath && processesUnder(x.worktreePath).length > 0,
          `run ${n} of every task to have its agent`,
          240_000,
        );
        const deadline = Date.now() + 120_000;
        for (;;) {
          const runs = await client.runs(id);
          const { events } = await client.events(id, { limit: 10_000 });
          const last = runs.at(-1);
          if (
            runs.length === n &&
            last &&
            events.some((e) => e.runId === last.id && e.type === 'tool.result')
          )
            return t;
          if (Date.now() > deadline)
            throw new Error(`run ${n} of ${id} never worked: ${JSON.stringify(runs)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }),
    );
  }

  it('every round: agents gone, runs closed as interrupted, tasks resumed, no event lost; finally all cancelled, nothing left', async () => {
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++)
      ids.push(
        (
          await server!.client.createTask({
            project: 'sample',
            prompt: `[[scenario:loop-forever delay=500]] task ${i}`,
          })
        ).id,
      );

    for (let round = 1; round <= ROUNDS; round++) {
      await allWorking(ids, round);
      const acknowledged = new Map<string, GluonEvent[]>();
      for (const id of ids) acknowledged.set(id, (await server!.client.events(id, { limit: 10_000 })).events);
      const agents = processesUnder(path.join(home, 'worktrees'));
      expect(agents.length).toBeGreaterThanOrEqual(TASKS);

      await stop(server!.child, 'SIGKILL');
      server = await serve(home, env(), port);
      const { client } = server;

      for (const pid of agents) expect(isAlive(pid), `round ${round}: agent ${pid} survived`).toBe(false);
      expect(integrityOf(home)).toBe('ok');
      for (const id of ids) {
        const t = await client.getTask(id);
        // Resumed (queued again or already running its resume), or failed saying why: never a ghost.
        if (t.status === 'failed') expect(t.error, `round ${round}: ${id}`).toBeTruthy();
        else expect(['queued', 'running'], `round ${round}: ${id}`).toContain(t.status);
        const runs = await client.runs(id);
        expect(runs[round - 1]!.stopReason, `round ${round}: ${id}`).toBe('interrupted');
        expect(runs[round - 1]!.endedAt).not.toBeNull();
        const { events } = await client.events(id, { limit: 10_000 });
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        for (const e of acknowledged.get(id)!) expect(events[e.seq - 1]).toEqual(e);
      }
    }

    const resumed = await allWorking(ids, ROUNDS + 1);
    const cancelled = await Promise.all(ids.map((id) => server!.client.cancel(id)));
    expect(cancelled.map((t) => t.status)).toEqual(ids.map(() => 'cancelled'));
    expect(processesUnder(path.join(home, 'worktrees'))).toEqual([]);
    expect(await server!.client.listTasks({ status: 'running' })).toEqual([]);
    for (const t of resumed) {
      expect((await server!.client.runs(t.id)).map((r) => r.kind)).toEqual([
        'initial',
        ...Array.from({ length: ROUNDS }, () => 'resume'),
      ]);
      expect(await git(repo, 'show', `${t.branch}:ticks.txt`)).toContain('tick');
    }
    // No orphan worktree: every directory under worktrees/ is a worktree git knows, of one of the tasks.
    const known = (await git(repo, 'worktree', 'list', '--porcelain'))
      .split('\n')
      .filter((l) => l.startsWith('worktree '))
      .map((l) => l.slice('worktree '.length));
    for (const dir of readdirSync(path.join(home, 'worktrees')))
      expect(known).toContain(path.join(home, 'worktrees', dir));
    expect(integrityOf(home)).toBe('ok');
  }, 1_800_000);
});
