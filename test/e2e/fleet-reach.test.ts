/**
 * What a fleet promises about runs on other machines, on real parts (Postgres, real `gluon serve` and
 * `gluon worker` processes, the real Claude Code against the fake Anthropic API): a stop-loop and an
 * approval sent to a server reach the worker that runs the task within 2 s; a project's daily cost cap
 * holds across tasks running on two workers at once; review data stays available when the worker that
 * produced it is gone (killed, its data directory wiped).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, waitForTask } from './harness.js';
import { eventsOf, fileOnRemote, msUntilActed, startFleet, type Fleet } from './fleet-harness.js';

/** The figure: a command sent to any server reaches the owning worker within 2 s. */
const REACH_MS = 2000;

describe('reaching runs on workers through any server', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet('fleet_reach', { loop: { pauseMs: 0, callsPerHour: 100 } });
    await f.startServer();
    for (const name of ['w1', 'w2']) await f.startWorker(name, { capacity: 1 });
  }, 120_000);
  afterAll(async () => f?.close(), 120_000);

  it('stop-loop sent to a server stops the loop on its worker within 2 s, mid-iteration', async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const t = await b!.createTask({
      project: 'sample',
      prompt: '[[scenario:slow ms=30000]] take long',
      ralph: true,
    });
    await waitForTask(a!, t.id, (x) => x.status === 'running' && x.worker !== null, 'a worker to run it');
    // Mid-iteration: the agent streams its answer.
    const deadline = Date.now() + 60_000;
    while (!(await eventsOf(a!, t.id)).some((e) => e.type === 'agent.delta') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const seen = (await eventsOf(a!, t.id)).at(-1)!.seq;
    const sentAt = Date.now();
    const stopped = await a!.stopLoop(t.id);
    expect(stopped).toMatchObject({ status: 'review', stopReason: 'stopped' });
    // Within 2 s the worker running it is stopping its agent (closing the run takes a moment more).
    const ms = await msUntilActed(a!, t.id, sentAt, seen, 'notice', (e) =>
      /^worker w[12] is stopping the agent \(stopped\)$/.test(e.data.message),
    );
    expect(ms, 'stop-loop to the worker stopping the agent').toBeLessThan(REACH_MS);
    const ended = (await eventsOf(a!, t.id)).filter((e) => e.type === 'run.ended').at(-1);
    expect(ended?.type === 'run.ended' && ended.data.stopReason).toBe('stopped');
    await expect(a!.stopLoop(t.id)).rejects.toMatchObject({ status: 409 });
    expect((await a!.getTask(t.id)).worker).toMatch(/^w[12]$/);
  }, 120_000);

  it('an approval sent to a server lets the waiting tool call run on its worker within 2 s', async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const t = await b!.createTask({
      project: 'sample',
      prompt: '[[scenario:danger]] clean',
      approval: 'careful',
    });
    const asking = await waitForTask(
      a!,
      t.id,
      (x) => x.status === 'running' && x.pendingInput?.live === true,
      'the agent on a worker to ask for approval',
    );
    expect(asking.pendingInput).toMatchObject({ kind: 'approval', toolName: 'Bash' });
    const seen = (await eventsOf(a!, t.id)).at(-1)!.seq;
    const sentAt = Date.now();
    const approved = await a!.approve(t.id);
    expect(approved.pendingInput).toBeNull();
    const ms = await msUntilActed(
      a!,
      t.id,
      sentAt,
      seen,
      'input.resolved',
      (e) => e.data.decision === 'approved',
    );
    expect(ms, 'approve to the worker resolving the request').toBeLessThan(REACH_MS);
    const done = await waitForTask(a!, t.id, settled, 'the approved task to finish');
    expect(done.status).toBe('review');
    const result = (await eventsOf(a!, t.id)).find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && result.data.isError).toBe(false);
  }, 120_000);

  it("a project's daily cost cap holds across two workers spending at once; further runs are refused", async () => {
    const client = f.servers[0]!.client;
    const cap = 0.5;
    await f.addProject('capped', { maxCostPerDayUsd: cap });
    const prompt = '[[scenario:loop-forever delay=300]] spend';
    const tasks = [
      await client.createTask({ project: 'capped', prompt }),
      await client.createTask({ project: 'capped', prompt }),
    ];
    const done = await Promise.all(
      tasks.map((t) => waitForTask(client, t.id, settled, 'the daily cap to stop it', 120_000)),
    );
    // One on each worker (capacity 1 each), both stopped by the cap with its reason.
    expect(done.map((t) => t.worker).sort()).toEqual(['w1', 'w2']);
    for (const t of done) {
      expect(t).toMatchObject({ status: 'review', stopReason: 'cost_cap' });
      expect(JSON.stringify(await eventsOf(client, t.id))).toMatch(/project's daily cost cap of \$0.5/);
    }
    // Together they stopped at the cap, past it by at most the turn each agent had in flight ($0.09).
    const spent = done.reduce((sum, t) => sum + t.costUsd, 0);
    expect(spent).toBeGreaterThanOrEqual(cap);
    expect(spent).toBeLessThan(cap + 2 * 0.09 + 0.01);
    const later = await client.createTask({
      project: 'capped',
      prompt: '[[scenario:write-file path=a.txt content=a]] more',
    });
    const refused = await waitForTask(client, later.id, settled, 'the refusal');
    expect(refused).toMatchObject({ status: 'review', stopReason: 'cost_cap', costUsd: 0 });
    expect(JSON.stringify(await eventsOf(client, later.id))).toMatch(
      /already spent .*daily cost cap of \$0.5/,
    );
  }, 180_000);

  // Last: it kills a worker.
  it('commits, changes and diffs of a task stay available when its worker is gone', async () => {
    const [a, b] = f.servers.map((s) => s.client);
    const t = await a!.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=kept.txt content="made on a worker"]] Write kept.txt',
    });
    const done = await waitForTask(a!, t.id, settled, 'the task to reach review');
    expect(done.status).toBe('review');
    const producer = f.workers.find((w) => w.name === done.worker)!;
    // The machine is gone: its process killed, its clones and worktrees with it.
    await f.stopWorker(producer, 'SIGKILL');
    rmSync(producer.home, { recursive: true, force: true });
    const head = await git(f.remote, 'rev-parse', `refs/heads/${done.branch}`);
    for (const client of [b!, a!]) {
      const commits = await client.commits(t.id);
      expect(commits.map((c) => c.sha)).toEqual([head]);
      expect(commits[0]!.files).toEqual([
        { path: 'kept.txt', status: 'A', additions: 1, deletions: 0, binary: false },
      ]);
      const changes = await client.changes(t.id);
      expect(changes).toMatchObject({ head, files: commits[0]!.files });
      const diff = await client.diff(t.id, { path: 'kept.txt' });
      expect(diff.diff).toContain('+made on a worker');
      expect((await client.diff(t.id, { commit: head })).diff).toBe(diff.diff);
    }
    expect(await fileOnRemote(f.remote, done.branch!, 'kept.txt')).toBe('made on a worker');
  }, 120_000);
});
