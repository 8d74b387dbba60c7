import { describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { SeqConflictError } from '../events-repo.js';
import { buildProject, buildTask, DIALECTS, useStorage } from '../testing/suite.js';

/** `count` text events for a task, numbered from `from`. */
function texts(taskId: string, from: number, count: number, runId: string | null = null): GluonEvent[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        seq: from + i,
        taskId,
        runId,
        ts: `2026-01-02T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
        type: 'agent.text',
        data: { text: `line ${from + i} — ünïcødé ✓ "quoted" \\ back` },
      }) as GluonEvent,
  );
}

describe.each(DIALECTS)('events repository on %s', (dialect) => {
  const db = useStorage(dialect, 'events');
  const newTask = async () => buildTask(db.storage, await buildProject(db.storage));
  const lastSeq = async (id: string) => (await db.storage.tasks.findById(id))!.lastSeq;

  it('appends a batch, reads it back after a seq, and moves last_seq', async () => {
    const task = await newTask();
    const batch = texts(task.id, 1, 5, 'run-1');
    await db.storage.events.append(batch);
    expect(await db.storage.events.listAfter(task.id, 0, 100)).toEqual(batch);
    expect(await db.storage.events.listAfter(task.id, 3, 100)).toEqual(batch.slice(3));
    expect(await db.storage.events.listAfter(task.id, 1, 2)).toEqual(batch.slice(1, 3));
    expect(await db.storage.events.maxSeq(task.id)).toBe(5);
    expect(await lastSeq(task.id)).toBe(5);
    expect(await db.storage.events.maxSeq('no-such-task')).toBe(0);
    await db.storage.events.append([]);
  });

  it('writes batches larger than one insert, over several tasks at once', async () => {
    const a = await newTask();
    const b = await newTask();
    const batch = [...texts(a.id, 1, 450), ...texts(b.id, 1, 30)];
    await db.storage.events.append(batch);
    expect(await db.storage.events.listAfter(a.id, 0, 10_000)).toEqual(batch.slice(0, 450));
    expect(await db.storage.events.listAfter(b.id, 0, 10_000)).toEqual(batch.slice(450));
    expect([await lastSeq(a.id), await lastSeq(b.id)]).toEqual([450, 30]);
  });

  it('rejects a batch that reuses a stored seq as a whole, and a renumbered retry lands', async () => {
    const a = await newTask();
    const b = await newTask();
    await db.storage.events.append(texts(a.id, 1, 3));
    // A second writer numbered from a stale view: its seq 3 is taken. The batch spans two inserts, so
    // only the transaction keeps the first from staying.
    const stale = [...texts(b.id, 1, 250), ...texts(a.id, 3, 2)];
    const failure = await db.storage.events.append(stale).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SeqConflictError);
    expect((failure as SeqConflictError).taskIds.sort()).toEqual([a.id, b.id].sort());
    // Nothing of the batch is stored, not even the other task's events; last_seq did not move.
    expect(await db.storage.events.listAfter(b.id, 0, 100)).toEqual([]);
    expect((await db.storage.events.listAfter(a.id, 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect([await lastSeq(a.id), await lastSeq(b.id)]).toEqual([3, 0]);
    // The protocol: read the stored maximum, renumber after it, append again.
    const from = (await db.storage.events.maxSeq(a.id)) + 1;
    await db.storage.events.append([...texts(b.id, 1, 250), ...texts(a.id, from, 2)]);
    expect((await db.storage.events.listAfter(a.id, 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect([await lastSeq(a.id), await lastSeq(b.id)]).toEqual([5, 250]);
  });

  it('never moves last_seq backwards when an older seq arrives late', async () => {
    const task = await newTask();
    await db.storage.events.append(texts(task.id, 10, 1));
    await db.storage.events.append(texts(task.id, 4, 1));
    expect(await lastSeq(task.id)).toBe(10);
    expect((await db.storage.events.listAfter(task.id, 0, 100)).map((e) => e.seq)).toEqual([4, 10]);
  });
});
