/**
 * The `merge_queues` and `task_forks` tables (migration 0010_merge_queue). Rows ↔ records. One running
 * queue per project is the partial unique index's guarantee: `start` inserts, and a second insert fails.
 */
import type { MergeEntryDto, MergeMethod } from '../../../shared/merge.js';
import type { Db } from './db.js';

export interface MergeQueuesTable {
  id: string;
  project_id: string;
  status: string;
  base_branch: string;
  method: string;
  entries: string;
  started_at: string;
  heartbeat_at: string;
  finished_at: string | null;
}

export interface TaskForksTable {
  task_id: string;
  forked_from: string;
  created_at: string;
}

export interface MergeQueueRecord {
  id: string;
  projectId: string;
  status: 'running' | 'finished' | 'interrupted';
  baseBranch: string;
  method: MergeMethod;
  entries: MergeEntryDto[];
  startedAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
}

const toRecord = (r: MergeQueuesTable): MergeQueueRecord => ({
  id: r.id,
  projectId: r.project_id,
  status: r.status as MergeQueueRecord['status'],
  baseBranch: r.base_branch,
  method: r.method as MergeMethod,
  entries: JSON.parse(r.entries) as MergeEntryDto[],
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  finishedAt: r.finished_at,
});

/** Whether an insert failed on a key that already exists (SQLite or Postgres). */
const isDuplicate = (err: unknown) =>
  /UNIQUE constraint|duplicate key/i.test(String((err as Error)?.message ?? err));

export function createMergeQueuesRepo(database: Db) {
  const db = database.withTables<{ merge_queues: MergeQueuesTable; task_forks: TaskForksTable }>();
  /**
   * Closes as interrupted the running queues that match (one queue, one project's; only those whose
   * heartbeat is older than `staleBefore`, when given), by a conditional update; how many it closed.
   */
  async function interrupt(
    which: { id?: string; projectId?: string; staleBefore?: string },
    now: string,
  ): Promise<number> {
    let update = db
      .updateTable('merge_queues')
      .set({ status: 'interrupted', finished_at: now })
      .where('status', '=', 'running');
    if (which.id) update = update.where('id', '=', which.id);
    if (which.projectId) update = update.where('project_id', '=', which.projectId);
    if (which.staleBefore) update = update.where('heartbeat_at', '<', which.staleBefore);
    const r = await update.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
  return {
    /**
     * Records a running queue; false when the project already has one running (the unique index said no).
     * First, a running queue whose heartbeat is older than `staleBefore` (its server died) is closed as
     * interrupted, by a conditional update.
     */
    async start(q: MergeQueueRecord, staleBefore: string): Promise<boolean> {
      await interrupt({ projectId: q.projectId, staleBefore }, q.startedAt);
      try {
        await db
          .insertInto('merge_queues')
          .values({
            id: q.id,
            project_id: q.projectId,
            status: q.status,
            base_branch: q.baseBranch,
            method: q.method,
            entries: JSON.stringify(q.entries),
            started_at: q.startedAt,
            heartbeat_at: q.heartbeatAt,
            finished_at: null,
          })
          .execute();
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    interrupt,
    /** Saves the entries (and the heartbeat) of a running queue; false when it is no longer running. */
    async progress(id: string, entries: MergeEntryDto[], now: string): Promise<boolean> {
      const r = await db
        .updateTable('merge_queues')
        .set({ entries: JSON.stringify(entries), heartbeat_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async finish(id: string, entries: MergeEntryDto[], now: string): Promise<void> {
      await db
        .updateTable('merge_queues')
        .set({ status: 'finished', entries: JSON.stringify(entries), heartbeat_at: now, finished_at: now })
        .where('id', '=', id)
        .execute();
    },
    async get(id: string): Promise<MergeQueueRecord | undefined> {
      const row = await db.selectFrom('merge_queues').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    /** The project's running queue, if any. */
    async running(projectId: string): Promise<MergeQueueRecord | undefined> {
      const row = await db
        .selectFrom('merge_queues')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** Records that `taskId` was forked from `forkedFrom`. */
    async addFork(taskId: string, forkedFrom: string, now: string): Promise<void> {
      await db
        .insertInto('task_forks')
        .values({ task_id: taskId, forked_from: forkedFrom, created_at: now })
        .execute();
    },
    /** For each of `taskIds` that has forks: their ids, oldest first. */
    async forksOf(taskIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (taskIds.length === 0) return out;
      const rows = await db
        .selectFrom('task_forks')
        .select(['task_id', 'forked_from'])
        .where('forked_from', 'in', [...taskIds])
        .orderBy('created_at')
        .orderBy('task_id')
        .execute();
      for (const r of rows) out.set(r.forked_from, [...(out.get(r.forked_from) ?? []), r.task_id]);
      return out;
    },
  };
}

export type MergeQueuesRepo = ReturnType<typeof createMergeQueuesRepo>;
