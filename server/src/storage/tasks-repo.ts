/**
 * Tasks: rows ↔ records. Status is written only through `transition` (a guarded `WHERE status = from`),
 * so two writers can never both win; every other column goes through `update`.
 */
import type {
  AgentName,
  ApprovalPolicy,
  AttachmentDto,
  Health,
  PendingInput,
  Profile,
  StopReason,
  TaskStatus,
} from '../../../shared/api.js';
import type { ModeState } from '../domain/task-mode.js';
import { sql, type Kysely } from 'kysely';
import type { Db } from './db.js';
import { lockForClaims, startsWith } from './dialect.js';
import type { TasksTable } from './schema.js';

/** Per-task options that do not need their own column. */
export interface TaskOptions {
  ralph?: boolean;
  maxIterations?: number;
  verify?: string;
  formula?: string;
  vars?: Record<string, string>;
  /** Images given with the task (their records; the bytes stay in the attachments directory). */
  attachments?: AttachmentDto[];
  /** Who created the task and through which surface (absent before users existed). */
  createdBy?: { user: string; surface: string };
  /** The task this one was forked from, its session then and that session's cost (the fork's totals include it). */
  forkedFrom?: { taskId: string; sessionId: string | null; sessionTotalUsd: number };
}

export interface TaskRecord {
  id: string;
  projectId: string;
  title: string;
  prompt: string;
  status: TaskStatus;
  profile: Profile;
  /** The agent that runs the task (Claude Code unless the task or its profile chose another). */
  agent: AgentName;
  model: string;
  approval: ApprovalPolicy;
  useWorktree: boolean;
  branch: string | null;
  baseBranch: string;
  baseSha: string | null;
  worktreePath: string | null;
  costUsd: number;
  maxCostUsd: number | null;
  inputRequired: boolean;
  pendingInput: PendingInput | null;
  stopReason: StopReason | null;
  error: string | null;
  iterations: number;
  sessionId: string | null;
  health: Health | null;
  healthReason: string | null;
  /** The prompt the next run sends (the task's prompt, feedback or an answer); null when nothing is due. */
  nextPrompt: string | null;
  options: TaskOptions;
  lastSeq: number;
  /** What the task's mode (loop, formula, planning) keeps between runs; null for a plain task. */
  modeState: ModeState | null;
  queuedAt: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The worker that runs the task, or ran it last; null until one did (or on a single-process install). */
  worker: string | null;
  /** The queue job that dispatched the task's current work (Postgres installations). */
  dispatchJob: string | null;
}

/** Columns other than status that services may change. */
export type TaskPatch = Partial<Omit<TaskRecord, 'id' | 'projectId' | 'status' | 'createdAt' | 'lastSeq'>>;

const COLUMNS: Record<keyof TaskPatch, keyof TasksTable> = {
  title: 'title',
  prompt: 'prompt',
  profile: 'profile',
  agent: 'agent',
  model: 'model',
  approval: 'approval',
  useWorktree: 'use_worktree',
  branch: 'branch',
  baseBranch: 'base_branch',
  baseSha: 'base_sha',
  worktreePath: 'worktree_path',
  costUsd: 'cost_usd',
  maxCostUsd: 'max_cost_usd',
  inputRequired: 'input_required',
  pendingInput: 'pending_input',
  stopReason: 'stop_reason',
  error: 'error',
  iterations: 'iterations',
  sessionId: 'session_id',
  health: 'health',
  healthReason: 'health_reason',
  nextPrompt: 'next_prompt',
  options: 'options',
  modeState: 'mode_state',
  queuedAt: 'queued_at',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  worker: 'worker',
  dispatchJob: 'dispatch_job',
};

function toColumns(patch: TaskPatch): Partial<TasksTable> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = COLUMNS[key as keyof TaskPatch];
    if (!column || value === undefined) continue;
    if (key === 'useWorktree' || key === 'inputRequired') out[column] = value ? 1 : 0;
    else if (key === 'pendingInput') out[column] = value === null ? null : JSON.stringify(value);
    else if (key === 'options') out[column] = JSON.stringify(value);
    else if (key === 'modeState') out[column] = value === null ? null : JSON.stringify(value);
    else out[column] = value;
  }
  return out as Partial<TasksTable>;
}

function toRecord(r: TasksTable): TaskRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    title: r.title,
    prompt: r.prompt,
    status: r.status as TaskStatus,
    profile: r.profile as Profile,
    agent: r.agent as AgentName,
    model: r.model,
    approval: r.approval as ApprovalPolicy,
    useWorktree: r.use_worktree === 1,
    branch: r.branch,
    baseBranch: r.base_branch,
    baseSha: r.base_sha,
    worktreePath: r.worktree_path,
    costUsd: r.cost_usd,
    maxCostUsd: r.max_cost_usd,
    inputRequired: r.input_required === 1,
    pendingInput: r.pending_input ? (JSON.parse(r.pending_input) as PendingInput) : null,
    stopReason: r.stop_reason as StopReason | null,
    error: r.error,
    iterations: r.iterations,
    sessionId: r.session_id,
    health: r.health as Health | null,
    healthReason: r.health_reason,
    nextPrompt: r.next_prompt,
    options: JSON.parse(r.options) as TaskOptions,
    lastSeq: r.last_seq,
    modeState: r.mode_state ? (JSON.parse(r.mode_state) as ModeState) : null,
    queuedAt: r.queued_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    worker: r.worker,
    dispatchJob: r.dispatch_job,
  };
}

/** A task waits for none that is short of review or done (table task_dependencies, migration 0006). */
const notBlocked = sql<boolean>`not exists (select 1 from task_dependencies d join tasks w on w.id = d.depends_on
  where d.task_id = tasks.id and w.status not in ('review', 'done'))`;

export function createTasksRepo(db: Db) {
  return {
    async insert(t: TaskRecord): Promise<void> {
      const { id, projectId, status, createdAt, lastSeq, ...rest } = t;
      await db
        .insertInto('tasks')
        .values({
          ...(toColumns(rest) as TasksTable),
          id,
          project_id: projectId,
          status,
          created_at: createdAt,
          last_seq: lastSeq,
        })
        .execute();
    },
    async findById(id: string): Promise<TaskRecord | undefined> {
      const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    /** Ids that start with `prefix` (at most 2: enough to tell unique from ambiguous). */
    async idsByPrefix(prefix: string): Promise<string[]> {
      const rows = await db
        .selectFrom('tasks')
        .select('id')
        .where(startsWith(db, 'id', prefix))
        .limit(2)
        .execute();
      return rows.map((r) => r.id);
    },
    async list(filter: { status?: TaskStatus; projectId?: string } = {}): Promise<TaskRecord[]> {
      let q = db.selectFrom('tasks').selectAll();
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
      return (await q.orderBy('created_at', 'desc').orderBy('id').execute()).map(toRecord);
    },
    /** Queued tasks ready to start (none they wait for is short of review or done), first in first out. */
    async listQueued(limit: number): Promise<TaskRecord[]> {
      const rows = await db
        .selectFrom('tasks')
        .selectAll()
        .where('status', '=', 'queued')
        .where(notBlocked)
        .orderBy('queued_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    /** The one write path for status: succeeds only if the task is still in `from`. */
    /**
     * Claims a queued task for a run: `queued → running` with `patch`, only while it is still queued and the
     * concurrency caps hold (tasks running in all, and in its project). Claims are serialised across
     * processes, so two workers can never both take the last slot.
     */
    async claim(
      id: string,
      patch: TaskPatch,
      caps: { maxRunning: number | null; maxPerProject: number | null },
    ): Promise<'claimed' | 'not_queued' | 'at_capacity'> {
      return db.transaction().execute(async (trx) => {
        await lockForClaims(trx as unknown as Kysely<never>);
        const task = await trx
          .selectFrom('tasks')
          .select(['status', 'project_id'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (task?.status !== 'queued') return 'not_queued';
        const running = await trx
          .selectFrom('tasks')
          .select((eb) => [
            eb.fn.countAll<number>().as('all'),
            eb.fn
              .sum<number>(eb.case().when('project_id', '=', task.project_id).then(1).else(0).end())
              .as('project'),
          ])
          .where('status', '=', 'running')
          .executeTakeFirstOrThrow();
        if (caps.maxRunning !== null && Number(running.all) >= caps.maxRunning) return 'at_capacity';
        if (caps.maxPerProject !== null && Number(running.project ?? 0) >= caps.maxPerProject)
          return 'at_capacity';
        const r = await trx
          .updateTable('tasks')
          .set({ ...toColumns(patch), status: 'running' })
          .where('id', '=', id)
          .where('status', '=', 'queued')
          .executeTakeFirst();
        return Number(r.numUpdatedRows) === 1 ? 'claimed' : 'not_queued';
      });
    },
    /** Tasks `running` on a worker (to continue them elsewhere when it is lost). */
    async listRunningOn(worker: string): Promise<TaskRecord[]> {
      const rows = await db
        .selectFrom('tasks')
        .selectAll()
        .where('worker', '=', worker)
        .where('status', '=', 'running')
        .execute();
      return rows.map(toRecord);
    },
    async transition(id: string, from: TaskStatus, to: TaskStatus, patch: TaskPatch): Promise<boolean> {
      const res = await db
        .updateTable('tasks')
        .set({ ...toColumns(patch), status: to })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return res.numUpdatedRows === 1n;
    },
    async update(id: string, patch: TaskPatch): Promise<void> {
      const cols = toColumns(patch);
      if (Object.keys(cols).length === 0) return;
      await db.updateTable('tasks').set(cols).where('id', '=', id).execute();
    },
    async setLastSeq(id: string, seq: number): Promise<void> {
      await db
        .updateTable('tasks')
        .set({ last_seq: seq })
        .where('id', '=', id)
        .where('last_seq', '<', seq)
        .execute();
    },
  };
}

export type TasksRepo = ReturnType<typeof createTasksRepo>;
