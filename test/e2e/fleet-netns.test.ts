/**
 * Workers on machines of their own: each in a network namespace, reaching Postgres and the fake Anthropic
 * API only over its link (real `gluon worker` processes, the real Claude Code). A worker there runs tasks
 * like any other; a network cut (its link down: packets dropped, nothing refused) fences it off (its
 * agents stop before it can be declared lost), its task continues on another worker and finishes, and
 * when the link comes back the cut worker learns it was declared lost and joins again without touching
 * the task. Skipped without root (namespaces need it).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, waitForTask } from './harness.js';
import { eventsOf, FLEET_TIMINGS, fileOnRemote, startFleet, type Fleet } from './fleet-harness.js';
import { namespacesAvailable } from './netns.js';

const until = async (what: string, ok: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!namespacesAvailable())('workers on machines of their own (network namespaces)', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet('fleet_netns');
  }, 120_000);
  afterAll(async () => f?.close(), 120_000);

  it('a worker on its own network reaches the fleet only over its link, and runs tasks', async () => {
    const far = await f.startWorker('far', { capacity: 1, machine: true });
    // Its 127.0.0.1 is its own: the database's port there answers nothing.
    const probe = await new Promise<string>((resolve) => {
      const s = net.connect(5432, '127.0.0.1');
      s.on('connect', () => resolve('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(probe, 'this side reaches the database').toBe('connected');
    const { execFile } = await import('node:child_process');
    const inside = await new Promise<string>((resolve) =>
      execFile(
        far.machine!.exec[0]!,
        [
          ...far.machine!.exec.slice(1),
          process.execPath,
          '-e',
          "require('net').connect(5432,'127.0.0.1').on('connect',()=>{console.log('connected');process.exit()}).on('error',e=>console.log(e.code))",
        ],
        (_err, stdout) => resolve(stdout.trim()),
      ),
    );
    expect(inside, 'the machine does not share this loopback').toBe('ECONNREFUSED');
    const client = f.servers[0]!.client;
    const t = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=far.txt content="from afar"]] Write far.txt',
    });
    const done = await waitForTask(client, t.id, settled, 'the task on the far worker', 120_000);
    expect(done).toMatchObject({ status: 'review', worker: 'far' });
    expect(await fileOnRemote(f.remote, done.branch!, 'far.txt')).toBe('from afar');
    await f.stopWorker(far);
  }, 180_000);

  it('a network cut fences the worker off; its task continues elsewhere; healed, the worker joins again', async () => {
    const cut = await f.startWorker('islander', { capacity: 1, machine: true });
    const client = f.servers[0]!.client;
    const t = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:steps n=4 delay=2500]] Write four steps',
    });
    await waitForTask(
      client,
      t.id,
      (x) => x.worker === 'islander' && x.status === 'running',
      'the cut worker',
    );
    await until('the first step pushed as work in progress', async () =>
      git(f.remote, 'rev-parse', '--verify', '-q', `refs/gluon/wip/${t.id}`).then(
        () => true,
        () => false,
      ),
    );
    const workerPid = cut.child.pid!;
    expect((await cut.machine!.pids()).length, 'the agent runs on the machine').toBeGreaterThan(1);
    await f.startWorker('mainland', { capacity: 1 });
    const cutAt = Date.now();
    await cut.machine!.cut();

    // Fenced off before anyone can declare it lost: its agent is gone, the worker itself stays.
    await until('the agent on the cut machine to stop', async () => {
      const pids = await cut.machine!.pids();
      return pids.length === 1 && pids[0] === workerPid;
    });
    expect(Date.now() - cutAt, 'fenced before it could be declared lost').toBeLessThan(
      FLEET_TIMINGS.lostAfterMs,
    );
    const done = await waitForTask(client, t.id, settled, 'the task to finish elsewhere', 150_000);
    expect(done).toMatchObject({ status: 'review', worker: 'mainland' });
    for (const n of [1, 2, 3, 4])
      expect(await fileOnRemote(f.remote, done.branch!, `step-${n}.txt`)).toBe(`step ${n}`);
    const runs = await client.runs(t.id);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.endedAt! <= runs[1]!.startedAt).toBe(true);
    expect((await client.workers()).find((w) => w.name === 'islander')?.status).toBe('lost');

    // Healed: the worker hears it was declared lost, stops nothing more, and registers again.
    const head = await git(f.remote, 'rev-parse', `refs/heads/${done.branch}`);
    // The task's end is announced (a notification) just after its status changes: take the whole record.
    await until('the task’s end announced', async () =>
      (await eventsOf(client, t.id)).some((e) => e.type === 'notification'),
    );
    const seqs = (await eventsOf(client, t.id)).map((e) => e.seq);
    await cut.machine!.heal();
    await until(
      'the healed worker to join again',
      async () => (await client.workers()).find((w) => w.name === 'islander')?.status === 'alive',
      90_000,
    );
    expect(cut.output()).toContain('worker islander was declared lost');
    // What it had left of the task changes nothing: the branch, the events and the task stay as they were.
    // Its connections that hung through the cut deliver what they held when TCP retries them (seconds).
    await new Promise((r) => setTimeout(r, 10_000));
    expect(cut.output().match(/cannot reach the database/g), 'fenced once').toHaveLength(1);
    expect(await git(f.remote, 'rev-parse', `refs/heads/${done.branch}`)).toBe(head);
    expect((await eventsOf(client, t.id)).map((e) => e.seq)).toEqual(seqs);
    expect(await client.getTask(t.id)).toMatchObject({
      status: 'review',
      worker: 'mainland',
      costUsd: done.costUsd,
    });
  }, 300_000);
});
