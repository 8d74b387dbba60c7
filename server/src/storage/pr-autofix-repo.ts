/**
 * The tables of pull requests that fix themselves (migration 0011_pr_autofix): items seen on a task's
 * pull request (each once: the key is the task and GitHub's id), the batches that took them (an
 * auto-resume, or one refused for the cost cap) and the run each auto-resume became. Rows ↔ records.
 */
import type { AutofixItem, AutofixKind } from '../domain/pr-autofix.js';
import { itemKey } from '../domain/pr-autofix.js';
import type { Db } from './db.js';
import type { TaskGitTable } from './pull-requests-repo.js';

interface ItemsTable {
  task_id: string;
  item_key: string;
  pr_number: number;
  kind: string;
  author: string | null;
  path: string | null;
  line: number | null;
  name: string | null;
  body: string;
  state: string;
  batch_id: string | null;
  seen_at: string;
}

interface BatchesTable {
  id: string;
  task_id: string;
  pr_number: number;
  trigger: string;
  outcome: string;
  reason: string | null;
  run_id: string | null;
  created_at: string;
}

export type ItemState = 'pending' | 'sent' | 'refused';

export interface AutofixBatchRecord {
  id: string;
  taskId: string;
  prNumber: number;
  trigger: string;
  outcome: 'resumed' | 'refused';
  reason: string | null;
  runId: string | null;
  createdAt: string;
}

/** An open pull request of a task: what polling looks at. */
export interface OpenPullRequest {
  taskId: string;
  projectId: string;
  repo: string;
  number: number;
  headSha: string | null;
}

const toItem = (r: ItemsTable): AutofixItem & { prNumber: number } => ({
  kind: r.kind as AutofixKind,
  id: r.item_key.slice(r.item_key.indexOf(':') + 1),
  author: r.author,
  path: r.path,
  line: r.line === null ? null : Number(r.line),
  name: r.name,
  body: r.body,
  at: null,
  prNumber: Number(r.pr_number),
});

const toBatch = (r: BatchesTable): AutofixBatchRecord => ({
  id: r.id,
  taskId: r.task_id,
  prNumber: Number(r.pr_number),
  trigger: r.trigger,
  outcome: r.outcome as AutofixBatchRecord['outcome'],
  reason: r.reason,
  runId: r.run_id,
  createdAt: r.created_at,
});

export function createPrAutofixRepo(database: Db) {
  const db = database.withTables<{
    pr_autofix_items: ItemsTable;
    pr_autofix_batches: BatchesTable;
    task_git: TaskGitTable;
  }>();
  return {
    /** Remembers items of a task's pull request; returns those never seen before (now pending). */
    async record(taskId: string, prNumber: number, items: readonly AutofixItem[], at: string) {
      const fresh: AutofixItem[] = [];
      for (const item of items) {
        const result = await db
          .insertInto('pr_autofix_items')
          .values({
            task_id: taskId,
            item_key: itemKey(item),
            pr_number: prNumber,
            kind: item.kind,
            author: item.author,
            path: item.path,
            line: item.line,
            name: item.name,
            body: item.body,
            state: 'pending',
            batch_id: null,
            seen_at: at,
          })
          .onConflict((oc) => oc.columns(['task_id', 'item_key']).doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) fresh.push(item);
      }
      return fresh;
    },
    /** The keys of every item already seen on the task's pull request. */
    async seenKeys(taskId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('pr_autofix_items')
        .select('item_key')
        .where('task_id', '=', taskId)
        .execute();
      return new Set(rows.map((r) => r.item_key));
    },
    async hasPending(taskId: string): Promise<boolean> {
      const row = await db
        .selectFrom('pr_autofix_items')
        .select('item_key')
        .where('task_id', '=', taskId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return row !== undefined;
    },
    /** Tasks with items waiting (for a pass that missed the task's status change). */
    async tasksWithPending(): Promise<string[]> {
      const rows = await db
        .selectFrom('pr_autofix_items')
        .select('task_id')
        .distinct()
        .where('state', '=', 'pending')
        .execute();
      return rows.map((r) => r.task_id);
    },
    /**
     * Writes the batch, then claims every pending item of its task for it (one guarded UPDATE: two
     * passes at once cannot both take an item); returns the items taken, oldest first. A batch that took
     * nothing is dropped.
     */
    async claim(batch: AutofixBatchRecord, state: Exclude<ItemState, 'pending'>) {
      await db
        .insertInto('pr_autofix_batches')
        .values({
          id: batch.id,
          task_id: batch.taskId,
          pr_number: batch.prNumber,
          trigger: batch.trigger,
          outcome: batch.outcome,
          reason: batch.reason,
          run_id: null,
          created_at: batch.createdAt,
        })
        .execute();
      await db
        .updateTable('pr_autofix_items')
        .set({ state, batch_id: batch.id })
        .where('task_id', '=', batch.taskId)
        .where('state', '=', 'pending')
        .execute();
      const rows = await db
        .selectFrom('pr_autofix_items')
        .selectAll()
        .where('batch_id', '=', batch.id)
        .orderBy('seen_at')
        .orderBy('item_key')
        .execute();
      if (rows.length === 0) await db.deleteFrom('pr_autofix_batches').where('id', '=', batch.id).execute();
      return rows.map(toItem);
    },
    /** Names the batch after the items it took (known only once claimed). */
    async describe(batchId: string, trigger: string, prNumber: number): Promise<void> {
      await db
        .updateTable('pr_autofix_batches')
        .set({ trigger, pr_number: prNumber })
        .where('id', '=', batchId)
        .execute();
    },
    /** Gives a batch's items back (its resume was refused because the task started meanwhile) and drops it. */
    async release(batchId: string): Promise<void> {
      await db
        .updateTable('pr_autofix_items')
        .set({ state: 'pending', batch_id: null })
        .where('batch_id', '=', batchId)
        .execute();
      await db.deleteFrom('pr_autofix_batches').where('id', '=', batchId).execute();
    },
    /** Marks a batch refused after all (its resume failed for another reason). */
    async refuse(batchId: string, reason: string): Promise<void> {
      await db
        .updateTable('pr_autofix_batches')
        .set({ outcome: 'refused', reason })
        .where('id', '=', batchId)
        .execute();
      await db
        .updateTable('pr_autofix_items')
        .set({ state: 'refused' })
        .where('batch_id', '=', batchId)
        .execute();
    },
    /** The run a task starts after an auto-resume is that resume's run: claimed once. */
    async attachRun(taskId: string, runId: string): Promise<boolean> {
      const result = await db
        .updateTable('pr_autofix_batches')
        .set({ run_id: runId })
        .where('task_id', '=', taskId)
        .where('outcome', '=', 'resumed')
        .where('run_id', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** What the auto-resumes of a task's pull request have cost (their runs' cost). */
    async spent(taskId: string, prNumber: number): Promise<number> {
      const row = await db
        .selectFrom('pr_autofix_batches')
        .innerJoin('runs', 'runs.id', 'pr_autofix_batches.run_id')
        .select((eb) => eb.fn.sum<number>('runs.cost_usd').as('total'))
        .where('pr_autofix_batches.task_id', '=', taskId)
        .where('pr_autofix_batches.pr_number', '=', prNumber)
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },
    async batches(taskId: string): Promise<AutofixBatchRecord[]> {
      const rows = await db
        .selectFrom('pr_autofix_batches')
        .selectAll()
        .where('task_id', '=', taskId)
        .orderBy('created_at')
        .execute();
      return rows.map(toBatch);
    },
    /** Open pull requests of tasks, all of them or one by repository and number. */
    async openPullRequests(where?: { repo: string; number: number }): Promise<OpenPullRequest[]> {
      let q = db
        .selectFrom('task_git')
        .innerJoin('tasks', 'tasks.id', 'task_git.task_id')
        .select([
          'task_git.task_id as taskId',
          'tasks.project_id as projectId',
          'task_git.pr_repo as repo',
          'task_git.pr_number as number',
          'task_git.pr_head_sha as headSha',
        ])
        .where('task_git.pr_state', '=', 'open')
        .where('task_git.pr_number', 'is not', null);
      if (where)
        q = q.where('task_git.pr_repo', '=', where.repo).where('task_git.pr_number', '=', where.number);
      const rows = await q.orderBy('task_git.task_id').execute();
      return rows.map((r) => ({
        taskId: r.taskId,
        projectId: r.projectId,
        repo: r.repo ?? '',
        number: Number(r.number),
        headSha: r.headSha,
      }));
    },
  };
}

export type PrAutofixRepo = ReturnType<typeof createPrAutofixRepo>;
