/**
 * The `reviews` and `review_comments` tables (migration 0006_review_comments): comments on a task's diff,
 * pending until a review takes them all at once, and resolved by a human. Rows ↔ records.
 */
import type { Db } from './db.js';

export interface ReviewsTable {
  id: string;
  task_id: string;
  body: string | null;
  head_sha: string;
  sent_at: string;
}

export interface ReviewCommentsTable {
  id: string;
  task_id: string;
  review_id: string | null;
  path: string;
  line: number;
  end_line: number;
  code: string;
  commit_sha: string;
  body: string;
  created_at: string;
  resolved_at: string | null;
}

export interface ReviewCommentRecord {
  id: string;
  taskId: string;
  reviewId: string | null;
  path: string;
  /** 1-based first and last line of the file at `commitSha`. */
  line: number;
  endLine: number;
  /** The lines from `line` to `endLine`, joined with `\n`. */
  code: string;
  commitSha: string;
  body: string;
  createdAt: string;
  resolvedAt: string | null;
}

export interface ReviewRecord {
  id: string;
  taskId: string;
  body: string | null;
  /** The branch tip the review was sent on. */
  headSha: string;
  sentAt: string;
}

const toComment = (r: ReviewCommentsTable): ReviewCommentRecord => ({
  id: r.id,
  taskId: r.task_id,
  reviewId: r.review_id,
  path: r.path,
  line: Number(r.line),
  endLine: Number(r.end_line),
  code: r.code,
  commitSha: r.commit_sha,
  body: r.body,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
});

const toReview = (r: ReviewsTable): ReviewRecord => ({
  id: r.id,
  taskId: r.task_id,
  body: r.body,
  headSha: r.head_sha,
  sentAt: r.sent_at,
});

export function createReviewCommentsRepo(database: Db) {
  const db = database.withTables<{ reviews: ReviewsTable; review_comments: ReviewCommentsTable }>();
  return {
    async insert(c: Omit<ReviewCommentRecord, 'reviewId' | 'resolvedAt'>): Promise<ReviewCommentRecord> {
      const row: ReviewCommentsTable = {
        id: c.id,
        task_id: c.taskId,
        review_id: null,
        path: c.path,
        line: c.line,
        end_line: c.endLine,
        code: c.code,
        commit_sha: c.commitSha,
        body: c.body,
        created_at: c.createdAt,
        resolved_at: null,
      };
      await db.insertInto('review_comments').values(row).execute();
      return toComment(row);
    },
    async get(id: string): Promise<ReviewCommentRecord | undefined> {
      const row = await db.selectFrom('review_comments').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toComment(row);
    },
    /** A task's comments, oldest first. */
    async listByTask(taskId: string): Promise<ReviewCommentRecord[]> {
      const rows = await db
        .selectFrom('review_comments')
        .selectAll()
        .where('task_id', '=', taskId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toComment);
    },
    /** A task's sent reviews, oldest first. */
    async listReviews(taskId: string): Promise<ReviewRecord[]> {
      const rows = await db
        .selectFrom('reviews')
        .selectAll()
        .where('task_id', '=', taskId)
        .orderBy('sent_at')
        .execute();
      return rows.map(toReview);
    },
    /**
     * Records a review and gives it the task's pending comments among `commentIds`, in one transaction;
     * answers how many it took (a comment sent meanwhile by someone else is not taken twice).
     */
    async sendReview(review: ReviewRecord, commentIds: readonly string[]): Promise<number> {
      return db.transaction().execute(async (tx) => {
        await tx
          .insertInto('reviews')
          .values({
            id: review.id,
            task_id: review.taskId,
            body: review.body,
            head_sha: review.headSha,
            sent_at: review.sentAt,
          })
          .execute();
        if (commentIds.length === 0) return 0;
        const result = await tx
          .updateTable('review_comments')
          .set({ review_id: review.id })
          .where('task_id', '=', review.taskId)
          .where('review_id', 'is', null)
          .where('id', 'in', [...commentIds])
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      });
    },
    /** Sets or clears the time a comment was resolved; false when there is no such comment. */
    async setResolved(id: string, resolvedAt: string | null): Promise<boolean> {
      const result = await db
        .updateTable('review_comments')
        .set({ resolved_at: resolvedAt })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Deletes a comment that is still pending; false when it was sent (or never existed). */
    async deletePending(id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('review_comments')
        .where('id', '=', id)
        .where('review_id', 'is', null)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type ReviewCommentsRepo = ReturnType<typeof createReviewCommentsRepo>;
