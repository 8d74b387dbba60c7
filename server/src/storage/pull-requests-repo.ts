/**
 * The `task_git` table (migration 0002_git_lifecycle): a task's pull request (repository, number, URL,
 * state, checks, head) and the files its last rebase left conflicted. Rows ↔ records; one row per task,
 * written with upserts so each field group can change on its own.
 */
import type { PullRequestDto } from '../../../shared/review-dto.js';
import type { Db } from './db.js';

export interface TaskGitTable {
  task_id: string;
  pr_repo: string | null;
  pr_number: number | null;
  pr_url: string | null;
  pr_state: string | null;
  pr_checks: string | null;
  pr_head_sha: string | null;
  conflict_files: string | null;
  updated_at: string;
}

export interface PullRequestRecord extends PullRequestDto {
  /** `owner/repo` the pull request lives in. */
  repo: string;
  headSha: string | null;
}

export interface TaskGitRecord {
  taskId: string;
  pr: PullRequestRecord | null;
  conflictFiles: string[] | null;
  updatedAt: string;
}

function toRecord(r: TaskGitTable): TaskGitRecord {
  const pr: PullRequestRecord | null =
    r.pr_number === null
      ? null
      : {
          repo: r.pr_repo ?? '',
          number: r.pr_number,
          url: r.pr_url ?? '',
          state: (r.pr_state ?? 'open') as PullRequestDto['state'],
          checks: r.pr_checks as PullRequestDto['checks'],
          headSha: r.pr_head_sha,
        };
  return {
    taskId: r.task_id,
    pr,
    conflictFiles: r.conflict_files === null ? null : (JSON.parse(r.conflict_files) as string[]),
    updatedAt: r.updated_at,
  };
}

export function createPullRequestsRepo(database: Db) {
  const db = database.withTables<{ task_git: TaskGitTable }>();
  const upsert = async (taskId: string, cols: Partial<TaskGitTable>) => {
    const row = { ...cols, updated_at: new Date().toISOString() };
    await db
      .insertInto('task_git')
      .values({ task_id: taskId, ...row })
      .onConflict((oc) => oc.column('task_id').doUpdateSet(row))
      .execute();
  };

  return {
    async get(taskId: string): Promise<TaskGitRecord | undefined> {
      const row = await db
        .selectFrom('task_git')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    /** The rows of several tasks at once (for lists), keyed by task id. */
    async getMany(taskIds: readonly string[]): Promise<Map<string, TaskGitRecord>> {
      if (taskIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('task_git')
        .selectAll()
        .where('task_id', 'in', [...taskIds])
        .execute();
      return new Map(rows.map((r) => [r.task_id, toRecord(r)]));
    },
    async setPullRequest(taskId: string, pr: PullRequestRecord): Promise<void> {
      await upsert(taskId, {
        pr_repo: pr.repo,
        pr_number: pr.number,
        pr_url: pr.url,
        pr_state: pr.state,
        pr_checks: pr.checks,
        pr_head_sha: pr.headSha,
      });
    },
    /** Records the conflicted files of the last rebase; null clears them. */
    async setConflicts(taskId: string, files: string[] | null): Promise<void> {
      await upsert(taskId, {
        conflict_files: files === null || files.length === 0 ? null : JSON.stringify(files),
      });
    },
    /** Pull requests worth polling: open ones, and merged ones whose task still waits in review. */
    async listPollable(): Promise<TaskGitRecord[]> {
      const rows = await db
        .selectFrom('task_git')
        .innerJoin('tasks', 'tasks.id', 'task_git.task_id')
        .selectAll('task_git')
        .where((eb) =>
          eb.or([
            eb('task_git.pr_state', '=', 'open'),
            eb.and([eb('task_git.pr_state', '=', 'merged'), eb('tasks.status', '=', 'review')]),
          ]),
        )
        .orderBy('task_git.task_id')
        .execute();
      return rows.map(toRecord);
    },
  };
}

export type PullRequestsRepo = ReturnType<typeof createPullRequestsRepo>;
