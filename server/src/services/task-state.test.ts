/**
 * The only writer of status, on a real SQLite file: every move of the status machine accepted or refused
 * as the table says, the guarded write losing a race answered with 409, and the event and the board
 * announcement following the write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.js';
import type { TransitionCause } from '../domain/task-status.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { openCoreTestbed, type CoreTestbed } from './testing/core-testbed.js';

const CAUSES: TransitionCause[] = [
  'start',
  'run_ended',
  'run_failed',
  'pause',
  'accept',
  'reopen',
  'resume',
  'cancel',
  'recover',
];

/** Every move that exists, written out here on purpose: a change to the domain table must show up here. */
const ALLOWED: [TaskStatus, TaskStatus, TransitionCause][] = [
  ['queued', 'running', 'start'],
  ['queued', 'cancelled', 'cancel'],
  ['running', 'review', 'run_ended'],
  ['running', 'failed', 'run_failed'],
  ['running', 'failed', 'recover'],
  ['running', 'cancelled', 'cancel'],
  ['running', 'queued', 'pause'],
  ['running', 'queued', 'recover'],
  ['review', 'done', 'accept'],
  ['review', 'queued', 'resume'],
  ['review', 'cancelled', 'cancel'],
  ['done', 'review', 'reopen'],
  ['failed', 'queued', 'resume'],
  ['failed', 'cancelled', 'cancel'],
  ['cancelled', 'queued', 'resume'],
];
const allowed = (from: TaskStatus, to: TaskStatus, cause: TransitionCause) =>
  ALLOWED.some(([f, t, c]) => f === from && t === to && c === cause);

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

const statusEvents = (taskId: string) =>
  bed
    .peek<{ data: string }>("select data from events where task_id = ? and type = 'status.changed'", taskId)
    .map((r) => JSON.parse(r.data) as { from: string; to: string; reason?: string });

describe('task state: the status machine', () => {
  it.each(ALLOWED)(
    '%s → %s by %s: written with the patch, then announced and evented',
    async (from, to, cause) => {
      const task = await bed.task({ status: from });
      const announced: TaskRecord[] = [];
      bed.state.onChange((t) => announced.push(t));
      const after = await bed.state.transition(task, to, cause, { error: 'kept' }, 'because');
      expect(after).toMatchObject({ status: to, error: 'kept' });
      expect(after.updatedAt > task.updatedAt).toBe(true);
      expect(await bed.storage.tasks.findById(task.id)).toEqual(after);
      expect(statusEvents(task.id)).toEqual([{ from, to, reason: 'because' }]);
      expect(announced).toEqual([after]);
    },
  );

  it('refuses every other move with 409 invalid_transition, writing and announcing nothing', async () => {
    let refused = 0;
    for (const from of TASK_STATUSES) {
      const task = await bed.task({ status: from });
      for (const to of TASK_STATUSES)
        for (const cause of CAUSES) {
          if (allowed(from, to, cause)) continue;
          await expect(bed.state.transition(task, to, cause)).rejects.toMatchObject({
            status: 409,
            code: 'invalid_transition',
          });
          refused += 1;
        }
      expect(await bed.storage.tasks.findById(task.id)).toEqual(task);
      expect(statusEvents(task.id)).toEqual([]);
    }
    expect(refused).toBe(TASK_STATUSES.length ** 2 * CAUSES.length - ALLOWED.length);
  });
});

describe('task state: one writer', () => {
  it('of two moves from the same snapshot, one wins and the other gets 409 status_changed', async () => {
    const task = await bed.task({ status: 'queued' });
    const results = await Promise.allSettled([
      bed.state.transition(task, 'running', 'start'),
      bed.state.transition(task, 'cancelled', 'cancel'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost[0]?.status === 'rejected' && lost[0].reason).toMatchObject({
      status: 409,
      code: 'status_changed',
    });
    const now = (await bed.storage.tasks.findById(task.id))!;
    expect(statusEvents(task.id)).toEqual([{ from: 'queued', to: now.status }]);
  });

  it('a stale snapshot says what the task is now, and writes nothing', async () => {
    const task = await bed.task({ status: 'review' });
    await bed.state.transition(task, 'done', 'accept');
    await expect(
      bed.state.transition(task, 'queued', 'resume', { nextPrompt: 'again' }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'status_changed',
      message: expect.stringContaining('done'),
    });
    expect((await bed.storage.tasks.findById(task.id))!.nextPrompt).toBeNull();
  });

  it('the event is durable before anyone hears of the change, and the board hears after the event', async () => {
    const task = await bed.task({ status: 'queued' });
    const order: string[] = [];
    bed.events.subscribe((e) => {
      const row = bed.peek<{ status: string }>('select status from tasks where id = ?', task.id)[0];
      order.push(`event ${e.type} while ${row?.status}`);
    });
    bed.state.onChange((t) => order.push(`board ${t.status}`));
    await bed.state.transition(task, 'running', 'start');
    expect(order).toEqual(['event status.changed while running', 'board running']);
  });

  it('other columns change without a status move: update announces, updateQuietly does not', async () => {
    const task = await bed.task();
    const announced: string[] = [];
    const off = bed.state.onChange((t) => announced.push(`${t.iterations}`));
    await bed.state.updateQuietly(task.id, { iterations: 1 });
    await bed.state.update(task.id, { iterations: 2 });
    off();
    await bed.state.update(task.id, { iterations: 3 });
    expect(announced).toEqual(['2']);
    expect((await bed.storage.tasks.findById(task.id))!.status).toBe('queued');
    await expect(bed.state.update('missing00000', {})).rejects.toMatchObject({ status: 404 });
  });
});
