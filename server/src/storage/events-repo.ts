/**
 * The event log: append-only, keyed by (task, seq). Appends come in batches inside one transaction, so a
 * batch is either all durable or not at all before anything is broadcast.
 *
 * Several writers (more than one process on Postgres). The primary key (task_id, seq) is the arbiter: two
 * writers that give out the same seq cannot both commit it. The loser's whole batch is rolled back and
 * `append` throws `SeqConflictError` naming the batch's tasks; the writer then reads `maxSeq` again,
 * renumbers what it had not yet published after it, and appends again. Nothing is published before its
 * append commits, so no subscriber ever saw a seq that lost. `tasks.last_seq` moves only forward (a
 * guarded `last_seq < seq`) in the same transaction, so it always equals the largest committed seq. The
 * task rows are updated in id order so two batches touching the same tasks cannot deadlock on Postgres.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { GluonEvent } from '../../../shared/events.js';
import type { Db } from './db.js';
import { dialectOf, isUniqueViolation } from './dialect.js';
import type { Database } from './schema.js';

/** Another writer committed one of this batch's (task, seq) first; nothing of the batch was written. */
export class SeqConflictError extends Error {
  override readonly name = 'SeqConflictError';
  constructor(
    readonly taskIds: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `another writer already stored events with these sequence numbers (tasks ${taskIds.join(', ')})`,
      options,
    );
  }
}

const CHUNK = 200;

const COLUMNS = '"task_id", "seq", "run_id", "type", "ts", "data"';
/** The SQLite insert of `n` events, built once per size (most batches are full chunks or small). */
const insertSql = new Map<number, string>();
const sqliteInsert = (n: number) => {
  let text = insertSql.get(n);
  if (!text) {
    text = `insert into "events" (${COLUMNS}) values ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
    if (insertSql.size < 64) insertSql.set(n, text);
  }
  return text;
};

/**
 * Inserts a chunk of events. On SQLite the statement is written out directly (the same text for chunks of
 * one size, no query tree to build for every row): appending events is the hottest write there is. On
 * Postgres it goes through Kysely, whose plugins replace NUL characters on the way.
 */
async function insertChunk(trx: Transaction<Database>, chunk: readonly GluonEvent[]): Promise<void> {
  if (dialectOf<Database>(trx) === 'sqlite') {
    const params: unknown[] = [];
    for (const e of chunk) params.push(e.taskId, e.seq, e.runId, e.type, e.ts, JSON.stringify(e.data));
    await trx.executeQuery(CompiledQuery.raw(sqliteInsert(chunk.length), params));
    return;
  }
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
}

export function createEventsRepo(db: Db) {
  return {
    /** Persists a batch of events and moves each task's `last_seq` forward, atomically. */
    async append(events: readonly GluonEvent[]): Promise<void> {
      if (events.length === 0) return;
      const lastByTask = new Map<string, number>();
      for (const e of events) lastByTask.set(e.taskId, Math.max(lastByTask.get(e.taskId) ?? 0, e.seq));
      try {
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < events.length; i += CHUNK) await insertChunk(trx, events.slice(i, i + CHUNK));
          for (const taskId of [...lastByTask.keys()].sort()) {
            const seq = lastByTask.get(taskId)!;
            await trx
              .updateTable('tasks')
              .set({ last_seq: seq })
              .where('id', '=', taskId)
              .where('last_seq', '<', seq)
              .execute();
          }
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new SeqConflictError([...lastByTask.keys()], { cause: err });
        throw err;
      }
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
    /** The largest stored seq of a task (0 when it has none): where a writer numbers on from. */
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
