/**
 * A fleet on real parts: Postgres, pg-boss, real `gluon serve` and `gluon worker` processes with their own
 * data directories, a bare repository as the shared remote, and the real Claude Code against the fake
 * Anthropic API. Tasks spread over the workers and land on their branches; a worker killed mid-run hands
 * its tasks over and nothing is lost or run twice; a cancel sent to one server reaches the worker running
 * the task; a worker that cannot reach the database or a project says so and claims nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../shared/events.js';
import { cli, git, makeRepo, settled, waitForTask } from './harness.js';
import { fileOnRemote, msUntilActed, startFleet, type Fleet } from './fleet-harness.js';

/** How many tasks the spread test runs (the figure is 30; GLUON_FLEET_TASKS changes it). */
const SPREAD = Number(process.env.GLUON_FLEET_TASKS ?? 30);

const eventsOf = async (f: Fleet, id: string) =>
  (await f.servers[0]!.client.events(id, { limit: 10_000 })).events as GluonEvent[];

describe('a fleet of servers and workers on Postgres', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet('fleet');
    await f.startServer();
    for (const name of ['w1', 'w2', 'w3']) await f.startWorker(name, { capacity: 3 });
  }, 120_000);
  afterAll(async () => f?.close(), 120_000);

  it(`spreads ${SPREAD} tasks over 3 workers; each reaches review with its work on its branch, run once`, async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const created = await Promise.all(
      Array.from({ length: SPREAD }, (_, i) =>
        (i % 2 ? b! : a!).createTask({
          project: 'sample',
          prompt: `[[scenario:write-file path=out-${i}.txt content="task ${i}"]] Write out-${i}.txt`,
        }),
      ),
    );
    const done = await Promise.all(
      created.map((t) => waitForTask(a!, t.id, settled, `task ${t.id} to settle`, 240_000)),
    );
    expect(done.map((t) => t.status)).toEqual(done.map(() => 'review'));
    const byWorker = new Map<string, number>();
    for (const t of done) byWorker.set(t.worker!, (byWorker.get(t.worker!) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(['w1', 'w2', 'w3']);
    for (const [i, t] of done.entries()) {
      expect(await fileOnRemote(f.remote, t.branch!, `out-${i}.txt`)).toBe(`task ${i}`);
      const runs = await a!.runs(t.id);
      expect(runs, `task ${t.id} ran once`).toHaveLength(1);
    }
    // Every server shows every task: the board is one.
    const onB = await b!.listTasks({});
    expect(new Set(onB.map((t) => t.id))).toEqual(new Set(done.map((t) => t.id)));
    const workers = await b!.workers();
    expect(workers.map((w) => [w.name, w.status])).toEqual([
      ['w1', 'alive'],
      ['w2', 'alive'],
      ['w3', 'alive'],
    ]);
  }, 300_000);

  it('cancel sent to one server reaches the worker that runs the task within 2 s', async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const t = await a!.createTask({ project: 'sample', prompt: '[[scenario:loop-forever delay=200]] tick' });
    const running = await waitForTask(
      a!,
      t.id,
      (x) => x.status === 'running' && x.worker !== null,
      'a worker to run it',
    );
    // Its agent is at work (a stop during the run's preparation is settled without one: see runs/).
    const deadline = Date.now() + 60_000;
    while (!(await eventsOf(f, t.id)).some((e) => e.type === 'tool.result') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const seen = (await eventsOf(f, t.id)).at(-1)!.seq;
    const sentAt = Date.now();
    const cancelled = await b!.cancel(t.id);
    expect(cancelled.status).toBe('cancelled');
    // The figure: within 2 s of the request, the worker running it is stopping its agent.
    const ms = await msUntilActed(b!, t.id, sentAt, seen, 'notice', (e) =>
      /^worker w[123] is stopping the agent \(cancelled\)$/.test(e.data.message),
    );
    expect(ms, 'cancel to the worker stopping the agent').toBeLessThan(2000);
    expect((await eventsOf(f, t.id)).filter((e) => e.type === 'run.ended').at(-1)).toMatchObject({
      data: { stopReason: 'cancelled' },
    });
    expect(running.worker).toMatch(/^w[123]$/);
  }, 120_000);
  it('an answer sent to one server reaches the agent waiting on a worker, live, within 2 s', async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const t = await a!.createTask({ project: 'sample', prompt: '[[scenario:question]] Pick a color' });
    const asking = await waitForTask(
      b!,
      t.id,
      (x) => x.status === 'running' && x.pendingInput?.live === true,
      'the agent on a worker to ask',
    );
    expect(asking.worker).toMatch(/^w[123]$/);
    const seen = (await eventsOf(f, t.id)).at(-1)!.seq;
    const sentAt = Date.now();
    const answered = await b!.answer(t.id, 'blue');
    expect(answered.pendingInput).toBeNull();
    const ms = await msUntilActed(b!, t.id, sentAt, seen, 'input.resolved', (e) => e.data.text === 'blue');
    expect(ms, 'answer to the worker handing it to the agent').toBeLessThan(2000);
    const done = await waitForTask(a!, t.id, settled, 'the task to finish after the answer');
    expect(done.status).toBe('review');
    // The same session went on (no resume): one run, and the answer is in the agent's file.
    expect(await a!.runs(t.id)).toHaveLength(1);
    expect(await fileOnRemote(f.remote, done.branch!, 'answer.txt')).toBe('blue');
  }, 120_000);
});

describe('a worker killed mid-run', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet('fleet_kill');
  }, 120_000);
  afterAll(async () => f?.close(), 120_000);

  it('hands both its tasks over: they continue on another worker from the last pushed state and finish', async () => {
    const victim = await f.startWorker('doomed', { capacity: 2 });
    const client = f.servers[0]!.client;
    const prompt = '[[scenario:steps n=4 delay=2500]] Write four steps';
    const tasks = [
      await client.createTask({ project: 'sample', prompt }),
      await client.createTask({ project: 'sample', prompt }),
    ];
    // Both run on the victim and have written (and pushed) their first step.
    for (const t of tasks)
      await waitForTask(
        client,
        t.id,
        (x) => x.worker === 'doomed' && x.status === 'running',
        'the victim to run it',
      );
    // …and pushed it as work in progress (the step is written, not committed).
    const firstStep = async (id: string) =>
      (await eventsOf(f, id)).some((e) => e.type === 'tool.result') &&
      (await git(f.remote, 'rev-parse', '--verify', '-q', `refs/gluon/wip/${id}`).then(
        () => true,
        () => false,
      ));
    const deadline = Date.now() + 60_000;
    while (!(await Promise.all(tasks.map((t) => firstStep(t.id)))).every(Boolean) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    if (!(await Promise.all(tasks.map((t) => firstStep(t.id)))).every(Boolean))
      throw new Error(`no work in progress was pushed; the worker said:\n${victim.output()}`);
    const before = await Promise.all(tasks.map((t) => eventsOf(f, t.id)));
    for (const t of tasks) expect((await client.getTask(t.id)).status, 'running when killed').toBe('running');
    await f.stopWorker(victim, 'SIGKILL');
    await f.startWorker('rescuer', { capacity: 2 });
    const done = await Promise.all(
      tasks.map((t) => waitForTask(client, t.id, settled, 'the task to finish elsewhere', 120_000)),
    );
    for (const [i, t] of done.entries()) {
      expect(t.status).toBe('review');
      expect(t.worker).toBe('rescuer');
      for (const n of [1, 2, 3, 4])
        expect(await fileOnRemote(f.remote, t.branch!, `step-${n}.txt`)).toBe(`step ${n}`);
      const events = await eventsOf(f, t.id);
      // No acknowledged event lost or changed, none duplicated: seqs 1..n without a gap.
      expect(events.slice(0, before[i]!.length)).toEqual(before[i]);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
      const notices = events
        .filter((e) => e.type === 'notice')
        .map((e) => (e.type === 'notice' ? e.data.message : ''));
      expect(notices).toContain('worker doomed was lost; continuing on another worker');
      expect(notices.some((m) => m.startsWith('running on worker rescuer (worker doomed was lost)'))).toBe(
        true,
      );
      expect(notices).toContain(
        'restored the uncommitted work of the last run from its work-in-progress ref',
      );
      // Never on two workers at once: the lost run ended before the next one started.
      const runs = await client.runs(t.id);
      expect(runs).toHaveLength(2);
      expect(runs[0]!.endedAt! <= runs[1]!.startedAt).toBe(true);
    }
    const workers = await client.workers();
    expect(workers.find((w) => w.name === 'doomed')?.status).toBe('lost');
  }, 240_000);

  it('a worker with a wrong database URL says so and exits; one that cannot reach a project claims none of its tasks', async () => {
    const bad = await cli(
      ['worker', '--name', 'nowhere', '--database', 'postgres://nobody@127.0.0.1:1/none'],
      {
        ...process.env,
        GLUON_HOME: f.servers[0]!.home,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/worker nowhere could not start: .*(ECONNREFUSED|connect)/);
    expect((await cli(['worker', '--name', 'x'], { ...process.env, GLUON_DATABASE_URL: '' })).code).toBe(2);

    // A project whose remote this machine cannot reach: the worker says so, and its task waits untouched.
    const client = f.servers[0]!.client;
    const elsewhere = await makeRepo();
    await git(elsewhere, 'remote', 'add', 'origin', '/nonexistent/remote.git');
    await client.addProject({ path: elsewhere, name: 'orphan' });
    const blind = await f.startWorker('blind', { capacity: 1, projects: 'orphan' });
    const t = await client.createTask({ project: 'orphan', prompt: 'anything' });
    const deadline = Date.now() + 20_000;
    while (!blind.output().includes('cannot reach project orphan') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(blind.output()).toContain('worker blind cannot reach project orphan; it takes none of its tasks');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await client.getTask(t.id)).toMatchObject({ status: 'queued', worker: null });
    await client.cancel(t.id);
  }, 120_000);
});
