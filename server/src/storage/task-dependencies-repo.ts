/**
 * The `task_dependencies` table (migration 0006_review_loop): which tasks a task waits for. Rows ↔ records.
 * Whether a queued task may start is decided in SQL by `tasks-repo.listQueued` (see `blockedCondition`).
 */
import type { TaskStatus } from '../../../shared/api.js';
import type { Db } from './db.js';

export interface TaskDependenciesTable {
  task_id: string;
  depends_on: string;
}

export interface DependencyRecord {
  id: string;
  title: string;
  status: TaskStatus;
}

export function createTaskDependenciesRepo(database: Db) {
  const db = database.withTables<{ task_dependencies: TaskDependenciesTable }>();
  return {
    /** Records that `taskId` waits for each of `dependsOn` (again: no change). */
    async add(taskId: string, dependsOn: readonly string[]): Promise<void> {
      if (dependsOn.length === 0) return;
      await db
        .insertInto('task_dependencies')
        .values(dependsOn.map((d) => ({ task_id: taskId, depends_on: d })))
        .onConflict((oc) => oc.columns(['task_id', 'depends_on']).doNothing())
        .execute();
    },
    /** What each of `taskIds` waits for, with the status of each dependency now. */
    async listFor(taskIds: readonly string[]): Promise<Map<string, DependencyRecord[]>> {
      const out = new Map<string, DependencyRecord[]>();
      if (taskIds.length === 0) return out;
      const rows = await db
        .selectFrom('task_dependencies')
        .innerJoin('tasks', 'tasks.id', 'task_dependencies.depends_on')
        .select([
          'task_dependencies.task_id as taskId',
          'tasks.id as id',
          'tasks.title as title',
          'tasks.status as status',
        ])
        .where('task_dependencies.task_id', 'in', [...taskIds])
        .orderBy('tasks.created_at')
        .execute();
      for (const r of rows)
        out.set(r.taskId, [
          ...(out.get(r.taskId) ?? []),
          { id: r.id, title: r.title, status: r.status as TaskStatus },
        ]);
      return out;
    },
    /** The tasks that wait for `taskId`. */
    async dependentsOf(taskId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('task_dependencies')
        .select('task_id')
        .where('depends_on', '=', taskId)
        .execute();
      return rows.map((r) => r.task_id);
    },
    /** Every edge, task → what it waits for (to refuse cycles). */
    async edges(): Promise<Map<string, string[]>> {
      const rows = await db.selectFrom('task_dependencies').selectAll().execute();
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.task_id, [...(out.get(r.task_id) ?? []), r.depends_on]);
      return out;
    },
  };
}

export type TaskDependenciesRepo = ReturnType<typeof createTaskDependenciesRepo>;
