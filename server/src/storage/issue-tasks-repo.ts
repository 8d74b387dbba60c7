/**
 * The `issue_tasks` table (migration 0008_intake): the GitHub issue each intake task came from, keyed by
 * GitHub's issue id (a redelivered webhook, a poll after a restart, both at once: one task), and what
 * Gluon has already said on the issue (so a comment is posted once).
 */
import type { Db } from './db.js';

export interface IssueTaskRecord {
  issueId: string;
  taskId: string;
  projectId: string;
  /** `owner/repo`. */
  repo: string;
  number: number;
  url: string;
  reviewCommented: boolean;
  /** The pull request number already announced on the issue. */
  prCommented: number | null;
  createdAt: string;
}

interface IssueTasksTable {
  issue_id: string;
  task_id: string;
  project_id: string;
  repo: string;
  number: number;
  url: string;
  review_commented: number;
  pr_commented: number | null;
  created_at: string;
}

const toRecord = (r: IssueTasksTable): IssueTaskRecord => ({
  issueId: r.issue_id,
  taskId: r.task_id,
  projectId: r.project_id,
  repo: r.repo,
  number: Number(r.number),
  url: r.url,
  reviewCommented: Number(r.review_commented) === 1,
  prCommented: r.pr_commented === null ? null : Number(r.pr_commented),
  createdAt: r.created_at,
});

/** Whether an insert failed on a key that already exists (SQLite or Postgres). */
const isDuplicate = (err: unknown) =>
  /UNIQUE constraint|duplicate key/i.test(String((err as Error)?.message ?? err));

export function createIssueTasksRepo(database: Db) {
  const db = database.withTables<{ issue_tasks: IssueTasksTable }>();
  return {
    async findByIssue(issueId: string): Promise<IssueTaskRecord | undefined> {
      const row = await db
        .selectFrom('issue_tasks')
        .selectAll()
        .where('issue_id', '=', issueId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async findByTask(taskId: string): Promise<IssueTaskRecord | undefined> {
      const row = await db
        .selectFrom('issue_tasks')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return row && toRecord(row);
    },
    /** Links a task to its issue; false when the issue already has a task (the caller drops its own). */
    async insert(r: IssueTaskRecord): Promise<boolean> {
      try {
        await db
          .insertInto('issue_tasks')
          .values({
            issue_id: r.issueId,
            task_id: r.taskId,
            project_id: r.projectId,
            repo: r.repo,
            number: r.number,
            url: r.url,
            review_commented: r.reviewCommented ? 1 : 0,
            pr_commented: r.prCommented,
            created_at: r.createdAt,
          })
          .execute();
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    /** Claims the review comment; false when it was already claimed (posted, or being posted). */
    async claimReviewComment(taskId: string): Promise<boolean> {
      const result = await db
        .updateTable('issue_tasks')
        .set({ review_commented: 1 })
        .where('task_id', '=', taskId)
        .where('review_commented', '=', 0)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Claims the comment announcing pull request `number`; false when it was already announced. */
    async claimPrComment(taskId: string, number: number): Promise<boolean> {
      const result = await db
        .updateTable('issue_tasks')
        .set({ pr_commented: number })
        .where('task_id', '=', taskId)
        .where((eb) => eb.or([eb('pr_commented', 'is', null), eb('pr_commented', '!=', number)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type IssueTasksRepo = ReturnType<typeof createIssueTasksRepo>;
