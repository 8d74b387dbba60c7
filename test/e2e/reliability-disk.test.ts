/**
 * A full disk under the data directory, through the built `gluon serve`: the data directory is a small
 * tmpfs (mounting needs root; without it this file is skipped and says why). Filled up: reads go on,
 * writes answer 507 or succeed, tasks end failed with the reason, the server never dies, and a task whose
 * agent finished meanwhile settles once space returns; killed while full and restarted with space again:
 * the database is sound, nothing is left running, work goes on.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { ApiError } from '../../shared/client.js';
import { agentEnv, freePort, makeRepo, settled, tempDir, waitForTask } from './harness.js';
import { integrityOf, processesUnder, serve, stop, until, type Serve } from './reliability-harness.js';

/** Mounts a tmpfs of `size` at a fresh directory; null (with the reason) when this process cannot mount. */
function mountTmpfs(size: string): { dir: string } | { why: string } {
  if (process.getuid?.() !== 0) return { why: 'mounting a small filesystem needs root' };
  const dir = tempDir('rel-disk');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { why: `mount -t tmpfs failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Writes zeros into `file` until the filesystem says ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

const mounted = mountTmpfs('48m');
const why = 'why' in mounted ? ` (skipped: ${mounted.why})` : '';

describe.skipIf('why' in mounted)(`reliability: the data directory's disk is full${why}`, () => {
  const home = 'dir' in mounted ? mounted.dir : '';
  const filler = path.join(home, 'filler');
  let fake: FakeAnthropic;
  let repo: string;
  let port: number;
  let server: Serve | undefined;
  const env = () => ({ ...agentEnv(fake, home), GLUON_HOME: home });

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    repo = await makeRepo();
    port = await freePort();
    server = await serve(home, env(), port);
    await server.client.addProject({ path: repo, name: 'sample' });
  }, 120_000);
  afterAll(async () => {
    // Space first: a server stopping on a full disk waits for it to record what its runs did.
    rmSync(filler, { force: true });
    await stop(server?.child, 'SIGTERM');
    await fake?.close();
    rmSync(repo, { recursive: true, force: true });
    execFileSync('umount', ['-l', home]);
    rmSync(home, { recursive: true, force: true });
  }, 240_000);

  it('full: reads served, writes 507 or done, every task ends with the reason; restarted with space: sound and working', async () => {
    const { client } = server!;
    const before = await client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=200]] before' });
    await waitForTask(client, before.id, settled, 'a task before the disk fills');
    // Its end is announced (a notification event) just after its status changes: wait for the whole record.
    const beforeEvents = await vi.waitFor(
      async () => {
        const page = await client.events(before.id, { limit: 10_000 });
        expect(page.events.map((e) => e.type)).toContain('notification');
        return page;
      },
      { timeout: 10_000, interval: 100 },
    );

    const during = await client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=2000]] during' });
    const running = await waitForTask(
      client,
      during.id,
      (t) => t.status === 'running' && t.sessionId !== null,
      'a task running as the disk fills',
    );
    fillUp(filler);
    // Reads go on.
    expect((await client.getTask(before.id)).status).toBe('review');
    expect((await client.events(before.id, { limit: 10_000 })).events).toEqual(beforeEvents.events);
    // Writes either succeed (SQLite may still have room in its log) or say the disk is full; never a 500.
    const attempts: (string | number)[] = [];
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        created.push(
          (await client.createTask({ project: 'sample', prompt: `[[scenario:slow ms=200]] ${i}` })).id,
        );
        attempts.push(201);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        attempts.push(`${err.status} ${err.code}`);
      }
    }
    for (const a of attempts) expect([201, '507 insufficient_storage']).toContain(a);
    // A task that got in cannot get a worktree, or cannot record its run: it ends failed, saying why.
    for (const id of created) {
      const t = await waitForTask(
        client,
        id,
        (x) => x.status !== 'queued' && x.status !== 'running',
        'a task',
      );
      expect(t.status, JSON.stringify(t)).toBe('failed');
      expect(t.error).toMatch(/space|SQLITE_FULL|full/i);
    }
    expect(server!.child.exitCode).toBeNull();

    // The running agent finishes while the disk is full; once space returns, its task settles without a
    // restart: never left running with no agent.
    await until(() => processesUnder(running.worktreePath!).length === 0, 'the agent to finish');
    rmSync(filler);
    const settledDuring = await waitForTask(
      client,
      during.id,
      settled,
      'the task that ran as the disk filled',
    );
    expect(['review', 'failed']).toContain(settledDuring.status);
    if (settledDuring.status === 'failed') expect(settledDuring.error).toBeTruthy();

    // A crash while full, then space again: nothing half-written survives.
    fillUp(filler);
    await stop(server!.child, 'SIGKILL');
    rmSync(filler);
    server = await serve(home, env(), port);
    expect(integrityOf(home)).toBe('ok');
    const all = await server.client.listTasks({});
    for (const t of all) {
      expect(['review', 'failed'], t.id).toContain(t.status);
      const { events } = await server.client.events(t.id, { limit: 10_000 });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }
    const after = await server.client.createTask({
      project: 'sample',
      prompt: '[[scenario:slow ms=200]] after',
    });
    expect((await waitForTask(server.client, after.id, settled, 'a task after')).status).toBe('review');
  }, 240_000);
});
