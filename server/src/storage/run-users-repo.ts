/**
 * Who started a task's runs (migration 0009): the user of a task's latest start or resume, copied onto
 * each run it starts, and the cost report by user. Without users (single-user mode) nothing is recorded
 * and the report has no rows.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import { governDb } from './govern-schema.js';

export interface UserCost {
  key: string;
  label: string;
  costUsd: number;
  runs: number;
}

export function createRunUsersRepo(base: Db) {
  const db = governDb(base);
  return {
    /** The user who starts the task's next run. */
    async setTaskUser(taskId: string, userId: string): Promise<void> {
      await db
        .insertInto('task_users')
        .values({ task_id: taskId, user_id: userId })
        .onConflict((oc) => oc.column('task_id').doUpdateSet({ user_id: userId }))
        .execute();
    },
    async taskUser(taskId: string): Promise<string | null> {
      const row = await db
        .selectFrom('task_users')
        .select('user_id')
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return row?.user_id ?? null;
    },
    async setRunUser(runId: string, userId: string): Promise<void> {
      await db
        .insertInto('run_users')
        .values({ run_id: runId, user_id: userId })
        .onConflict((oc) => oc.column('run_id').doNothing())
        .execute();
    },
    /** Cost per user, largest first (runs nobody is named for are left out); of `projectIds` when given. */
    async costByUser(projectIds?: readonly string[]): Promise<UserCost[]> {
      if (projectIds?.length === 0) return [];
      const joined = db
        .selectFrom('run_costs')
        .innerJoin('run_users', 'run_users.run_id', 'run_costs.run_id')
        .innerJoin('tasks', 'tasks.id', 'run_costs.task_id');
      const rows = await (projectIds ? joined.where('tasks.project_id', 'in', projectIds) : joined)
        .select([
          'run_users.user_id as key',
          'run_users.user_id as label',
          sql<number>`sum(run_costs.cost_usd)`.as('costUsd'),
          sql<number>`count(distinct run_costs.run_id)`.as('runs'),
        ])
        .groupBy('run_users.user_id')
        .orderBy('costUsd', 'desc')
        .orderBy('key')
        .execute();
      return rows.map((r) => ({ ...r, costUsd: Number(r.costUsd), runs: Number(r.runs) }));
    },
  };
}

export type RunUsersRepo = ReturnType<typeof createRunUsersRepo>;
