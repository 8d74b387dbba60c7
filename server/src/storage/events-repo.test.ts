/**
 * The event log's table on a real SQLite file: a batch is all or nothing, each task's `last_seq` follows
 * its events, and reading after a seq pages in order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeqConflictError } from './events-repo.js';
import {
  buildEvent,
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from './testing/factories.js';

let db: TestStorage;
let a: string;
let b: string;
beforeEach(async () => {
  db = await openTestStorage();
  const project = await insertProject(db.storage);
  a = (await insertTask(db.storage, { projectId: project.id })).id;
  b = (await insertTask(db.storage, { projectId: project.id })).id;
});
afterEach(() => db.close());

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe('events repository', () => {
  it("appends a batch of several tasks' events and moves each task's last seq to its highest", async () => {
    const e = buildEvent(a, 2, {
      type: 'tool.called',
      data: { toolUseId: 't', name: 'Bash', input: { x: [1] } },
    });
    await db.storage.events.append([buildEvent(a, 1), e, buildEvent(b, 1)]);
    expect(await db.storage.events.listAfter(a, 0, 10)).toEqual([buildEvent(a, 1), e]);
    expect(await db.storage.events.maxSeq(a)).toBe(2);
    expect(await db.storage.events.maxSeq(b)).toBe(1);
    expect(await db.storage.events.maxSeq('none')).toBe(0);
    expect((await db.storage.tasks.findById(a))!.lastSeq).toBe(2);
    expect((await db.storage.tasks.findById(b))!.lastSeq).toBe(1);
  });

  it('keeps nothing of a batch when one event fails, even past the first insert of 200', async () => {
    await db.storage.events.append([buildEvent(a, 1)]);
    const batch = [
      ...Array.from({ length: 200 }, (_, i) => buildEvent(b, i + 1)),
      buildEvent(a, 2),
      buildEvent(a, 1),
    ];
    await expect(db.storage.events.append(batch)).rejects.toThrow(SeqConflictError);
    expect(await db.storage.events.listAfter(b, 0, 10)).toEqual([]);
    expect(seqs(await db.storage.events.listAfter(a, 0, 10))).toEqual([1]);
    expect((await db.storage.tasks.findById(a))!.lastSeq).toBe(1);
    expect((await db.storage.tasks.findById(b))!.lastSeq).toBe(0);
  });

  it('stores batches larger than one insert (chunks of 200) whole', async () => {
    await db.storage.events.append(Array.from({ length: 450 }, (_, i) => buildEvent(a, i + 1)));
    expect(await db.storage.events.maxSeq(a)).toBe(450);
    expect((await db.storage.tasks.findById(a))!.lastSeq).toBe(450);
  });

  it('reads after a seq, oldest first, a page at a time', async () => {
    await db.storage.events.append([5, 1, 3, 2, 4].map((s) => buildEvent(a, s)));
    expect(seqs(await db.storage.events.listAfter(a, 0, 2))).toEqual([1, 2]);
    expect(seqs(await db.storage.events.listAfter(a, 2, 2))).toEqual([3, 4]);
    expect(seqs(await db.storage.events.listAfter(a, 4, 2))).toEqual([5]);
    expect(await db.storage.events.listAfter(a, 5, 2)).toEqual([]);
  });

  it("never moves a task's last seq back, and an empty batch writes nothing", async () => {
    await db.storage.tasks.setLastSeq(a, 10);
    await db.storage.events.append([buildEvent(a, 3)]);
    await db.storage.events.append([]);
    expect((await db.storage.tasks.findById(a))!.lastSeq).toBe(10);
  });
});
