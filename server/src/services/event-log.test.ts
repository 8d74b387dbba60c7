/**
 * The event pipeline on a real SQLite file: per-task seqs without gaps under concurrent emits, secrets
 * redacted before anything is stored, subscribers told only what is already durable, and a failed write
 * that publishes nothing and leaves no hole in the numbering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GluonEvent, NewEvent } from '../../../shared/events.js';
import type { EventsRepo } from '../storage/events-repo.js';
import { createEventLog } from './event-log.js';
import { openCoreTestbed, type CoreTestbed } from './testing/core-testbed.js';

let bed: CoreTestbed;
afterEach(() => bed.close());

const notice = (message: string): NewEvent => ({ type: 'notice', data: { message } });
const stored = (taskId: string) =>
  bed.peek<{ seq: number; data: string }>(
    'select seq, data from events where task_id = ? order by seq',
    taskId,
  );

/** A repository whose next `append` fails, when `failNext` is set. */
function flaky(repo: EventsRepo) {
  const control = { failNext: false, appends: 0 };
  const wrapped: EventsRepo = {
    ...repo,
    async append(events) {
      control.appends += 1;
      if (control.failNext) {
        control.failNext = false;
        throw new Error('disk full');
      }
      return repo.append(events);
    },
  };
  return { control, wrapped };
}

describe('event log', () => {
  it('numbers each task from 1 without gaps or repeats while many emits for several tasks interleave', async () => {
    bed = await openCoreTestbed();
    const tasks = await Promise.all([bed.task(), bed.task(), bed.task()]);
    const published = new Map<string, number[]>();
    bed.events.subscribe((e) => published.set(e.taskId, [...(published.get(e.taskId) ?? []), e.seq]));
    const emits = Array.from({ length: 60 }, (_, i) => {
      const t = tasks[i % 3]!;
      const batch = Array.from({ length: 1 + (i % 4) }, (_, k) => notice(`${i}.${k}`));
      return bed.events.emit(t.id, i % 2 ? batch : batch[0]!);
    });
    const results = await Promise.all(emits);
    for (const t of tasks) {
      const count = stored(t.id).length;
      const expected = Array.from({ length: count }, (_, i) => i + 1);
      expect(stored(t.id).map((r) => r.seq)).toEqual(expected);
      expect(published.get(t.id)).toEqual(expected);
      const returned = results.flat().filter((e) => e.taskId === t.id);
      expect(returned.map((e) => e.seq).sort((a, b) => a - b)).toEqual(expected);
    }
    expect(results.flat()).toHaveLength(30 + 15 * 2 + 15 * 4);
  });

  it('keeps the order of one emit and goes on from the stored maximum after a restart', async () => {
    bed = await openCoreTestbed();
    const t = await bed.task();
    await bed.events.emit(t.id, [notice('a'), notice('b')]);
    const restarted = createEventLog(
      bed.storage.events,
      (v) => v,
      () => {},
    );
    const [next] = await restarted.emit(t.id, notice('c'));
    expect(next!.seq).toBe(3);
    expect(stored(t.id).map((r) => JSON.parse(r.data).message)).toEqual(['a', 'b', 'c']);
  });

  it('redacts secrets before the event is stored, published or returned, leaving the input alone', async () => {
    const secret = 'hunter2-very-secret-value';
    bed = await openCoreTestbed({ secrets: [secret] });
    const t = await bed.task();
    const seen: GluonEvent[] = [];
    bed.events.subscribe((e) => seen.push(e));
    const input: NewEvent = {
      type: 'tool.called',
      data: {
        toolUseId: 'u1',
        name: 'Bash',
        input: { command: `echo ${secret} sk-ant-api03-${'x'.repeat(30)}9` },
      },
    };
    const [out] = await bed.events.emit(t.id, input);
    const row = stored(t.id)[0]!.data;
    expect(row).not.toContain(secret);
    expect(row).not.toContain('sk-ant-');
    expect(row).toContain('[REDACTED]');
    expect(JSON.stringify(seen[0])).not.toContain(secret);
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(JSON.stringify(input)).toContain(secret);
  });

  it('publishes an event only once it can be read from the database by another connection', async () => {
    bed = await openCoreTestbed();
    const t = await bed.task();
    const durableWhenPublished: boolean[] = [];
    bed.events.subscribe((e) => durableWhenPublished.push(stored(e.taskId).some((r) => r.seq === e.seq)));
    await Promise.all([
      bed.events.emit(t.id, [notice('1'), notice('2')]),
      bed.events.emit(t.id, notice('3')),
    ]);
    expect(durableWhenPublished).toEqual([true, true, true]);
  });

  it('writes the events of one tick in one batch', async () => {
    const f = { value: null as ReturnType<typeof flaky> | null };
    bed = await openCoreTestbed({ eventsRepo: (r) => (f.value = flaky(r)).wrapped });
    const [a, b] = await Promise.all([bed.task(), bed.task()]);
    await bed.events.emit(a.id, notice('warm up'));
    await bed.events.emit(b.id, notice('warm up'));
    const before = f.value!.control.appends;
    await Promise.all([
      bed.events.emit(a.id, notice('x')),
      bed.events.emit(b.id, [notice('y'), notice('z')]),
    ]);
    expect(f.value!.control.appends - before).toBe(1);
  });

  it('a failed write publishes nothing, reports the error, and the next emit takes the lost numbers again', async () => {
    const f = { value: null as ReturnType<typeof flaky> | null };
    bed = await openCoreTestbed({ eventsRepo: (r) => (f.value = flaky(r)).wrapped });
    const t = await bed.task();
    const published: number[] = [];
    bed.events.subscribe((e) => published.push(e.seq));
    await bed.events.emit(t.id, notice('kept'));
    f.value!.control.failNext = true;
    await bed.events.emit(t.id, [notice('lost 1'), notice('lost 2')]);
    expect(published).toEqual([1]);
    expect(bed.errors).toHaveLength(1);
    await bed.events.emit(t.id, notice('after'));
    expect(published).toEqual([1, 2]);
    expect(stored(t.id).map((r) => [r.seq, JSON.parse(r.data).message])).toEqual([
      [1, 'kept'],
      [2, 'after'],
    ]);
  });

  it('a throwing subscriber is reported and does not keep the others from hearing', async () => {
    bed = await openCoreTestbed();
    const t = await bed.task();
    const heard: number[] = [];
    bed.events.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = bed.events.subscribe((e) => heard.push(e.seq));
    await bed.events.emit(t.id, notice('a'));
    off();
    await bed.events.emit(t.id, notice('b'));
    expect(heard).toEqual([1]);
    expect(bed.errors.map((e) => (e as Error).message)).toEqual(['bad listener', 'bad listener']);
  });

  it('reads the backlog after a seq, and flush waits for what is queued', async () => {
    bed = await openCoreTestbed();
    const t = await bed.task();
    await bed.events.emit(t.id, notice('a'));
    const queued = bed.events.emit(t.id, [notice('b'), notice('c'), notice('d')]);
    await bed.events.flush();
    await queued;
    expect(stored(t.id)).toHaveLength(4);
    expect((await bed.events.backlog(t.id, 2, 10)).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('flush also waits for an emit still reading its task’s stored seq (the first one in this process)', async () => {
    bed = await openCoreTestbed();
    const t = await bed.task();
    const first = bed.events.emit(t.id, notice('first'));
    await bed.events.flush();
    expect(stored(t.id)).toHaveLength(1);
    await first;
  });
});
