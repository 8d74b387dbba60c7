/**
 * The repair of a run whose end could not be written (a locked database, a full disk): the task would
 * stay `running` with no agent. It is closed as after a restart, saying what really happened, and
 * resumed or failed; the lifecycle retries the repair after a wait, which this test moves by hand.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { text, usage, write } from '../runner/testing/fake-agent.js';
import { raw } from '../runner/testing/git-fixtures.js';
import type { RunRecord } from '../storage/runs-repo.js';
import { buildRun, insertTask } from '../storage/testing/factories.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from './testing/runs-bed.js';

let bed: RunsBed;
afterEach(async () => {
  vi.useRealTimers();
  await bed.close();
});
afterAll(cleanupRunsBeds);

/** Resolves once `check` holds, looking again after each turn of the event loop (no clock involved). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

const UNRECORDED = /^Gluon could not record the end of your previous turn/;

/** Makes the next write that closes a run fail, as a locked database would. */
function failNextRunClose(b: RunsBed): void {
  const update = b.storage.runs.update.bind(b.storage.runs);
  let failed = false;
  b.storage.runs.update = (async (id: string, patch: Partial<RunRecord>) => {
    if (patch.status === 'ended' && !failed) {
      failed = true;
      throw new Error('database is locked');
    }
    return update(id, patch);
  }) as typeof b.storage.runs.update;
}

describe('a run whose end could not be recorded', () => {
  it('is closed after the wait and its session resumed, its cost counted once', async () => {
    bed = await openRunsBed();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    failNextRunClose(bed);
    bed.agent.enqueue(
      [write('a.md', 'a\n'), usage({ input: 3000 }), text('Done.')],
      [usage({ input: 500 }), text('Checked: all done.')],
    );
    const created = await bed.create('write a file');
    const failures = () =>
      bed.logs.filter((l) => l.startsWith(`recording a run of task ${created.id} failed`)).length;
    await until(() => failures() === 1);
    // Waiting for its repair, the task keeps its slot and stays running.
    expect(bed.runs.isActive(created.id)).toBe(true);
    expect((await bed.storage.tasks.findById(created.id))!.status).toBe('running');
    await vi.advanceTimersByTimeAsync(2000);
    // The repair is told as a run's end; a repair that failed in turn would be logged again.
    let repaired = false;
    const again = until(() => repaired || failures() > 1);
    await Promise.race([bed.watch.ended(created.id, 2).then(() => (repaired = true)), again]);
    await again;
    expect(failures()).toBe(1);
    // Three ends told: the failed one, the repair, the resumed run.
    await bed.watch.ended(created.id, 3);
    const task = (await bed.storage.tasks.findById(created.id))!;
    const runs = await bed.storage.runs.listByTask(created.id);
    expect(runs.map((r) => [r.status, r.stopReason])).toEqual([
      ['ended', 'interrupted'],
      ['ended', 'completed'],
    ]);
    expect(runs[0]!.error).toBe('Gluon could not record the run (database is locked)');
    expect(bed.agent.runs[1]!.req.prompt).toMatch(UNRECORDED);
    expect(bed.agent.runs[1]!.req.resumeSessionId).toBe(bed.agent.runs[0]!.outcome!.sessionId);
    expect(bed.watch.transitions(task.id)).toEqual([
      'new→queued',
      'queued→running',
      'running→queued',
      'queued→running',
      'running→review',
    ]);
    expect(task.costUsd).toBeCloseTo(runs[0]!.costUsd + runs[1]!.costUsd, 12);
    expect(raw(bed.repo, ['show', `gluon-task/${task.id}:a.md`])).toBe('a\n');
  });

  it('without a session: the task fails with what happened', async () => {
    bed = await openRunsBed();
    const task = await insertTask(bed.storage, { projectId: bed.project.id, status: 'running' });
    await bed.storage.runs.insert(buildRun({ taskId: task.id, status: 'running', costUsd: 0.02 }));
    await bed.repair(task.id, 'disk full');
    const failed = (await bed.storage.tasks.findById(task.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      stopReason: 'interrupted',
      error: 'Gluon could not record the run (disk full)',
    });
    const [run] = await bed.storage.runs.listByTask(task.id);
    expect(run).toMatchObject({ status: 'ended', stopReason: 'interrupted', costUsd: 0.02 });
  });

  it('a task that settled meanwhile is left as it is', async () => {
    bed = await openRunsBed();
    const task = await insertTask(bed.storage, { projectId: bed.project.id, status: 'review' });
    await bed.repair(task.id, 'disk full');
    expect((await bed.storage.tasks.findById(task.id))!.status).toBe('review');
    expect(bed.watch.transitions(task.id)).toEqual([]);
  });
});
