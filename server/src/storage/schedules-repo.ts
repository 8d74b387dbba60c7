/**
 * The `schedules` and `schedule_runs` tables (migration 0008_intake): schedules (cron line, prompt, task
 * options, status, failures in a row, when next due) and which task each run made. Rows ↔ records; the
 * claim of a due run is one guarded UPDATE, so two ticks (or two processes) never start the same run.
 */
import type { Db } from './db.js';

/** `removed` schedules stay as rows so that the tasks they made keep naming them. */
export type ScheduleStatus = 'active' | 'paused' | 'removed';

/** Options the tasks of a schedule are created with (the rest are the defaults). */
export interface ScheduleTaskOptions {
  profile?: 'quick' | 'standard' | 'deep' | 'planning';
  agent?: 'claude' | 'codex';
  maxCostUsd?: number;
  title?: string;
}

export interface ScheduleRecord {
  id: string;
  projectId: string;
  cron: string;
  prompt: string;
  options: ScheduleTaskOptions;
  status: ScheduleStatus;
  failures: number;
  pausedReason: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  createdAt: string;
}

export interface ScheduleRunRecord {
  taskId: string;
  scheduleId: string;
  dueAt: string;
  outcome: 'succeeded' | 'failed' | null;
  createdAt: string;
}

interface SchedulesTable {
  id: string;
  project_id: string;
  cron: string;
  prompt: string;
  options: string;
  status: string;
  failures: number;
  paused_reason: string | null;
  next_run_at: string | null;
  last_run_at: string | null;
  created_at: string;
}

interface ScheduleRunsTable {
  task_id: string;
  schedule_id: string;
  due_at: string;
  outcome: string | null;
  created_at: string;
}

const toRecord = (r: SchedulesTable): ScheduleRecord => ({
  id: r.id,
  projectId: r.project_id,
  cron: r.cron,
  prompt: r.prompt,
  options: JSON.parse(r.options) as ScheduleTaskOptions,
  status: r.status as ScheduleStatus,
  failures: Number(r.failures),
  pausedReason: r.paused_reason,
  nextRunAt: r.next_run_at,
  lastRunAt: r.last_run_at,
  createdAt: r.created_at,
});

const toRun = (r: ScheduleRunsTable): ScheduleRunRecord => ({
  taskId: r.task_id,
  scheduleId: r.schedule_id,
  dueAt: r.due_at,
  outcome: r.outcome as ScheduleRunRecord['outcome'],
  createdAt: r.created_at,
});

export function createSchedulesRepo(database: Db) {
  const db = database.withTables<{ schedules: SchedulesTable; schedule_runs: ScheduleRunsTable }>();
  return {
    async insert(s: ScheduleRecord): Promise<void> {
      await db
        .insertInto('schedules')
        .values({
          id: s.id,
          project_id: s.projectId,
          cron: s.cron,
          prompt: s.prompt,
          options: JSON.stringify(s.options),
          status: s.status,
          failures: s.failures,
          paused_reason: s.pausedReason,
          next_run_at: s.nextRunAt,
          last_run_at: s.lastRunAt,
          created_at: s.createdAt,
        })
        .execute();
    },
    async findById(id: string): Promise<ScheduleRecord | undefined> {
      const row = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async idsByPrefix(prefix: string): Promise<string[]> {
      const rows = await db
        .selectFrom('schedules')
        .select('id')
        .where('id', 'like', `${prefix.replace(/[%_]/g, '')}%`)
        .execute();
      return rows.map((r) => r.id);
    },
    async list(): Promise<ScheduleRecord[]> {
      const rows = await db
        .selectFrom('schedules')
        .selectAll()
        .where('status', '!=', 'removed')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    /** Active schedules due at or before `nowIso`. */
    async listDue(nowIso: string): Promise<ScheduleRecord[]> {
      const rows = await db
        .selectFrom('schedules')
        .selectAll()
        .where('status', '=', 'active')
        .where('next_run_at', '<=', nowIso)
        .orderBy('next_run_at')
        .execute();
      return rows.map(toRecord);
    },
    /** Moves a due schedule on to its next time; false when another tick claimed this run first. */
    async claimDue(id: string, dueAt: string, nextRunAt: string | null, nowIso: string): Promise<boolean> {
      const result = await db
        .updateTable('schedules')
        .set({ next_run_at: nextRunAt, last_run_at: nowIso })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .where('next_run_at', '=', dueAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async setState(
      id: string,
      patch: {
        status?: ScheduleStatus;
        failures?: number;
        pausedReason?: string | null;
        nextRunAt?: string | null;
      },
    ): Promise<void> {
      const set: Partial<SchedulesTable> = {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.failures !== undefined) set.failures = patch.failures;
      if (patch.pausedReason !== undefined) set.paused_reason = patch.pausedReason;
      if (patch.nextRunAt !== undefined) set.next_run_at = patch.nextRunAt;
      if (Object.keys(set).length) await db.updateTable('schedules').set(set).where('id', '=', id).execute();
    },
    /** Removes a schedule: it never runs again; its row stays so that History keeps naming it. */
    async remove(id: string): Promise<void> {
      await db
        .updateTable('schedules')
        .set({ status: 'removed', next_run_at: null })
        .where('id', '=', id)
        .execute();
    },
    async insertRun(run: ScheduleRunRecord): Promise<void> {
      await db
        .insertInto('schedule_runs')
        .values({
          task_id: run.taskId,
          schedule_id: run.scheduleId,
          due_at: run.dueAt,
          outcome: run.outcome,
          created_at: run.createdAt,
        })
        .execute();
    },
    async runOfTask(taskId: string): Promise<ScheduleRunRecord | undefined> {
      const row = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return row && toRun(row);
    },
    /** Records a run's outcome once; false when it already had one. */
    async settleRun(taskId: string, outcome: 'succeeded' | 'failed'): Promise<boolean> {
      const result = await db
        .updateTable('schedule_runs')
        .set({ outcome })
        .where('task_id', '=', taskId)
        .where('outcome', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** The runs of a schedule, newest first. */
    async runs(scheduleId: string, limit = 50): Promise<ScheduleRunRecord[]> {
      const rows = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('schedule_id', '=', scheduleId)
        .orderBy('due_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRun);
    },
  };
}

export type SchedulesRepo = ReturnType<typeof createSchedulesRepo>;
