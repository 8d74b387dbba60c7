/**
 * Settling a running task, on a real SQLite file: the status, the stop reason, the columns each settled
 * status brings, the transition cause, and the notification (a question waiting turns any notice into
 * `input_required`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { createNotifier } from '../notifications.js';
import { openCoreTestbed, type CoreTestbed } from '../testing/core-testbed.js';
import { createSettler, type Settlement } from './settle.js';

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

const settler = () => createSettler({ state: bed.state, notifier: createNotifier(bed.storage, bed.events) });
const running = (over: Partial<TaskRecord> = {}) =>
  bed.task({
    status: 'running',
    health: 'yellow',
    healthReason: 'slow',
    startedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });
const eventsOf = async (id: string) => (
  await bed.events.flush(),
  await bed.storage.events.listAfter(id, 0, 100)
);

describe('settling a running task', () => {
  it('in review: finished now, health cleared, the stop reason and patch kept, notified', async () => {
    const task = await running();
    const s: Settlement = {
      to: 'review',
      stopReason: 'completed',
      reason: 'the agent finished',
      notify: 'review',
      patch: { sessionId: 's1' },
    };
    const settled = await settler()(task, s);
    expect(settled).toMatchObject({
      status: 'review',
      stopReason: 'completed',
      sessionId: 's1',
      health: null,
    });
    expect(settled.finishedAt).not.toBeNull();
    const events = await eventsOf(task.id);
    expect(events.map((e) => e.type)).toEqual(['status.changed', 'notification']);
    expect(events[0]!.data).toEqual({ from: 'running', to: 'review', reason: 'the agent finished' });
    expect(events[1]!.data).toMatchObject({ kind: 'review', reason: 'the agent finished' });
  });

  it('back in the queue: not finished, queued now, with the prompt to resume (given, kept, or the pause one)', async () => {
    const cases: Array<[Partial<TaskRecord>, string | undefined, string]> = [
      [{}, undefined, 'You were paused. Continue the task where you left off.'],
      [{ nextPrompt: 'the kept prompt' }, undefined, 'the kept prompt'],
      [{ nextPrompt: 'the kept prompt' }, 'the given prompt', 'the given prompt'],
    ];
    for (const [over, given, expected] of cases) {
      const task = await running({ ...over, finishedAt: '2026-01-01T00:00:00.000Z' });
      const patch = given ? { nextPrompt: given } : undefined;
      const settled = await settler()(task, {
        to: 'queued',
        stopReason: 'interrupted',
        reason: 'paused',
        patch,
      });
      expect(settled).toMatchObject({ status: 'queued', finishedAt: null, nextPrompt: expected });
      expect(settled.queuedAt! > task.queuedAt!).toBe(true);
    }
  });

  it('cancelled: nothing left waiting for a human', async () => {
    const pendingInput = { requestId: 'r', kind: 'question' as const, live: true, createdAt: 'now' };
    const task = await running({ inputRequired: true, pendingInput });
    const settled = await settler()(task, { to: 'cancelled', stopReason: 'cancelled', reason: 'cancelled' });
    expect(settled).toMatchObject({ status: 'cancelled', inputRequired: false, pendingInput: null });
  });

  it('a task left waiting for an answer is notified as input_required', async () => {
    const task = await running();
    await settler()(task, {
      to: 'review',
      stopReason: 'input_required',
      reason: 'waiting for an answer',
      notify: 'review',
      patch: { inputRequired: true },
    });
    const note = (await eventsOf(task.id)).find((e) => e.type === 'notification')!;
    expect(note.data).toMatchObject({ kind: 'input_required' });
  });

  it('the cause is the settled status’s own unless given; a wrong one or a stale task is refused', async () => {
    const task = await running();
    const failed = { to: 'failed' as const, stopReason: 'interrupted' as const, reason: 'restart' };
    await expect(settler()(task, { ...failed, cause: 'pause' })).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    await settler()(task, { ...failed, cause: 'recover' });
    await expect(settler()(task, failed)).rejects.toMatchObject({ code: 'status_changed' });
    expect((await bed.storage.tasks.findById(task.id))!.status).toBe('failed');
  });
});
