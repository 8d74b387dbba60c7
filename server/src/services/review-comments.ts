/**
 * Comments on a task's diff and "Send review": a reviewer comments on a line or a range of a changed file
 * (at the branch tip); comments stay pending until a review sends them all to the agent at once, as one
 * resume whose prompt anchors each (file, lines, code). Listing re-anchors every comment by content to
 * the current tip, marks the ones whose code is gone as outdated, and names the commits since its review
 * that changed its lines. A human resolves a comment.
 */
import type { ReviewCommentDto } from '../../../shared/review-dto.js';
import { anchorComment, fileLines, type AnchoredPosition } from '../domain/comment-anchor.js';
import { reviewPrompt } from '../domain/review-prompt.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { listChanges, resolveRange, type ReviewTarget } from '../runner/review-data.js';
import { commitsTouching, readFileAt } from '../runner/review-lines.js';
import type { ReviewCommentRecord, ReviewCommentsRepo } from '../storage/review-comments-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { findReviewTarget, type ReviewDeps } from './review.js';

export interface ReviewCommentsDeps extends Pick<ReviewDeps, 'storage' | 'repos' | 'redactText'> {
  comments: ReviewCommentsRepo;
  tasks: ReviewDeps['tasks'];
}

export interface NewComment {
  path: string;
  line: number;
  /** The last line of a range; the same as `line` when absent. */
  endLine?: number;
  body: string;
}

const unprocessable = (code: string, message: string) => new AppError(422, code, message);

export function createReviewComments(deps: ReviewCommentsDeps) {
  /** The task, its review target and its branch tip; 404 when the branch is gone. */
  async function tipOf(
    idOrPrefix: string,
  ): Promise<{ task: TaskRecord; target: ReviewTarget; head: string }> {
    const { task, target } = await findReviewTarget(deps, idOrPrefix);
    const range = await resolveRange(target);
    if (!range) throw notFound(`the task branch ${target.branch}`);
    return { task, target, head: range.head };
  }

  /** A file's lines at `sha`, each redacted on its own (so stored code and anchors compare alike). */
  async function linesAt(repo: string, sha: string, path: string): Promise<string[] | null> {
    const text = await readFileAt(repo, sha, path);
    return text === null ? null : fileLines(text).map((l) => deps.redactText(l));
  }

  /** Every comment of the task, anchored at `head`, with what addressed it. */
  async function present(target: ReviewTarget, head: string, taskId: string): Promise<ReviewCommentDto[]> {
    const records = await deps.comments.listByTask(taskId);
    const reviews = new Map((await deps.comments.listReviews(taskId)).map((r) => [r.id, r]));
    const files = new Map<string, string[] | null>();
    const out: ReviewCommentDto[] = [];
    for (const c of records) {
      if (!files.has(c.path)) files.set(c.path, await linesAt(target.repo, head, c.path));
      const at: AnchoredPosition = anchorComment(c, files.get(c.path)!);
      const review = c.reviewId ? reviews.get(c.reviewId) : undefined;
      const addressedBy = review
        ? await commitsTouching(
            target.repo,
            { from: review.headSha, to: head },
            c.path,
            at.outdated ? null : at,
          )
        : [];
      out.push(toDto(c, at, review?.sentAt ?? null, addressedBy));
    }
    return out;
  }

  async function ownComment(taskId: string, commentId: string): Promise<ReviewCommentRecord> {
    const comment = await deps.comments.get(commentId);
    if (!comment || comment.taskId !== taskId) throw notFound(`comment ${commentId} on this task`);
    return comment;
  }

  return {
    async list(idOrPrefix: string): Promise<ReviewCommentDto[]> {
      const { task, target, head } = await tipOf(idOrPrefix);
      return present(target, head, task.id);
    },

    /**
     * Adds a pending comment.
     * Rules: the file must be one the task changed and still has at its tip (422 `not_in_diff`); the lines
     * must exist there, first ≤ last (422 `line_out_of_range`); the code at those lines is kept with the
     * comment, redacted, to re-anchor it later; the body is redacted too.
     */
    async create(idOrPrefix: string, input: NewComment): Promise<ReviewCommentDto> {
      const { task, target, head } = await tipOf(idOrPrefix);
      const changed = (await listChanges(target))?.files ?? [];
      const file = changed.find((f) => f.path === input.path && f.status !== 'D');
      const lines = file && !file.binary ? await linesAt(target.repo, head, input.path) : null;
      if (!lines) throw unprocessable('not_in_diff', `${input.path} is not a text file this task changed`);
      const endLine = input.endLine ?? input.line;
      if (input.line < 1 || endLine < input.line || endLine > lines.length)
        throw unprocessable(
          'line_out_of_range',
          `lines ${input.line}-${endLine} are not in ${input.path} (it has ${lines.length} lines)`,
        );
      const record = await deps.comments.insert({
        id: newId(),
        taskId: task.id,
        path: input.path,
        line: input.line,
        endLine,
        code: lines.slice(input.line - 1, endLine).join('\n'),
        commitSha: head,
        body: deps.redactText(input.body),
        createdAt: nowIso(),
      });
      return toDto(record, { line: record.line, endLine, outdated: false }, null, []);
    },

    /** Resolves (or reopens) a comment of the task. */
    async setResolved(idOrPrefix: string, commentId: string, resolved: boolean): Promise<ReviewCommentDto> {
      const { task, target, head } = await tipOf(idOrPrefix);
      await ownComment(task.id, commentId);
      await deps.comments.setResolved(commentId, resolved ? nowIso() : null);
      return (await present(target, head, task.id)).find((c) => c.id === commentId)!;
    },

    /** Deletes a pending comment; 409 `comment_sent` once its review went to the agent. */
    async remove(idOrPrefix: string, commentId: string): Promise<void> {
      const task = await deps.tasks.get(idOrPrefix);
      await ownComment(task.id, commentId);
      if (!(await deps.comments.deletePending(commentId)))
        throw conflict('comment_sent', 'the comment was sent to the agent with a review; resolve it instead');
    },

    /**
     * Sends the pending comments to the agent as one resume.
     * Rules: no pending comment → 409 `no_pending_comments`; comments go in file and line order, anchored
     * at the current tip; the resume comes first (a running task refuses it, and the comments stay
     * pending), then the review is recorded with the comments it took.
     */
    async send(idOrPrefix: string, summary?: string): Promise<TaskRecord> {
      const { task, target, head } = await tipOf(idOrPrefix);
      const pending = (await present(target, head, task.id))
        .filter((c) => c.reviewId === null)
        .sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
      if (pending.length === 0)
        throw conflict('no_pending_comments', 'there are no pending comments to send');
      const body = summary?.trim() ? deps.redactText(summary.trim()) : null;
      const resumed = await deps.tasks.resume(task.id, reviewPrompt(pending, body));
      await deps.comments.sendReview(
        { id: newId(), taskId: task.id, body, headSha: head, sentAt: nowIso() },
        pending.map((c) => c.id),
      );
      return resumed;
    },
  };
}

function toDto(
  c: ReviewCommentRecord,
  at: AnchoredPosition,
  sentAt: string | null,
  addressedBy: string[],
): ReviewCommentDto {
  return {
    id: c.id,
    taskId: c.taskId,
    path: c.path,
    line: at.line,
    endLine: at.endLine,
    code: c.code,
    body: c.body,
    outdated: at.outdated,
    commitSha: c.commitSha,
    reviewId: c.reviewId,
    sentAt,
    addressedBy,
    createdAt: c.createdAt,
    resolvedAt: c.resolvedAt,
  };
}

export type ReviewComments = ReturnType<typeof createReviewComments>;
