/**
 * The event log: append-only, keyed by (task, seq). Appends come in batches inside one transaction, so a
 * batch is either all durable or not at all before anything is broadcast.
 */
import type { GluonEvent } from '../../../shared/events.js';
import type { Db } from './db.js';

export function createEventsRepo(db: Db) {
  return {
    /** Persists a batch of events and moves each task's `last_seq` forward, atomically. */
    async append(events: readonly GluonEvent[]): Promise<void> {
      if (events.length === 0) return;
      await db.transaction().execute(async (trx) => {
        const lastByTask = new Map<string, number>();
        for (let i = 0; i < events.length; i += 200) {
          const chunk = events.slice(i, i + 200);
          await trx
            .insertInto('events')
            .values(
              chunk.map((e) => ({
                task_id: e.taskId,
                seq: e.seq,
                run_id: e.runId,
                type: e.type,
                ts: e.ts,
                data: JSON.stringify(e.data),
              })),
            )
            .execute();
          for (const e of chunk) lastByTask.set(e.taskId, Math.max(lastByTask.get(e.taskId) ?? 0, e.seq));
        }
        for (const [taskId, seq] of lastByTask) {
          await trx
            .updateTable('tasks')
            .set({ last_seq: seq })
            .where('id', '=', taskId)
            .where('last_seq', '<', seq)
            .execute();
        }
      });
    },
    /** Events of a task with seq > `after`, oldest first. */
    async listAfter(taskId: string, after: number, limit: number): Promise<GluonEvent[]> {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('task_id', '=', taskId)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(
        (r) =>
          ({
            seq: r.seq,
            taskId: r.task_id,
            runId: r.run_id,
            ts: r.ts,
            type: r.type,
            data: JSON.parse(r.data),
          }) as GluonEvent,
      );
    },
    async maxSeq(taskId: string): Promise<number> {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return Number(row?.seq ?? 0);
    },
  };
}

export type EventsRepo = ReturnType<typeof createEventsRepo>;
