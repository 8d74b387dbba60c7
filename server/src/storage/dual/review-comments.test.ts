import { describe, expect, it } from 'vitest';
import { createReviewCommentsRepo, type ReviewCommentRecord } from '../review-comments-repo.js';
import { buildProject, buildTask, DIALECTS, useStorage } from '../testing/suite.js';

const comment = (
  id: string,
  taskId: string,
  createdAt: string,
): Omit<ReviewCommentRecord, 'reviewId' | 'resolvedAt'> => ({
  id,
  taskId,
  path: 'src/ünï.ts',
  line: 3,
  endLine: 4,
  code: 'const a = 1;\nconst b = 2;',
  commitSha: 'a'.repeat(40),
  body: 'Name these better',
  createdAt,
});

describe.each(DIALECTS)('review comments on %s', (dialect) => {
  const db = useStorage(dialect, 'review_comments');
  const repo = () => createReviewCommentsRepo(db.storage.db);
  const newTask = async () => buildTask(db.storage, await buildProject(db.storage), { status: 'review' });

  it('keeps comments pending until a review takes them, once, and lists them oldest first', async () => {
    const task = await newTask();
    const other = await newTask();
    await repo().insert(comment(`c2${task.id}`, task.id, '2026-01-01T00:00:02.000Z'));
    const first = await repo().insert(comment(`c1${task.id}`, task.id, '2026-01-01T00:00:01.000Z'));
    await repo().insert(comment(`c3${task.id}`, other.id, '2026-01-01T00:00:03.000Z'));
    expect(first).toMatchObject({ reviewId: null, resolvedAt: null, line: 3, endLine: 4 });
    expect((await repo().listByTask(task.id)).map((c) => c.id)).toEqual([`c1${task.id}`, `c2${task.id}`]);

    const review = {
      id: `r1${task.id}`,
      taskId: task.id,
      body: 'Two things',
      headSha: 'b'.repeat(40),
      sentAt: '2026-01-01T00:01:00.000Z',
    };
    // A comment of another task is never taken, whatever ids are asked for.
    expect(await repo().sendReview(review, [`c1${task.id}`, `c2${task.id}`, `c3${task.id}`])).toBe(2);
    expect((await repo().listByTask(task.id)).map((c) => c.reviewId)).toEqual([review.id, review.id]);
    expect((await repo().get(`c3${task.id}`))!.reviewId).toBeNull();
    const again = { ...review, id: `r2${task.id}`, sentAt: '2026-01-01T00:02:00.000Z' };
    expect(await repo().sendReview(again, [`c1${task.id}`])).toBe(0);
    expect((await repo().listReviews(task.id)).map((r) => r.id)).toEqual([review.id, again.id]);
  });

  it('resolves and reopens a comment; deletes only pending ones', async () => {
    const task = await newTask();
    const c = await repo().insert(comment(`d1${task.id}`, task.id, '2026-01-01T00:00:01.000Z'));
    expect(await repo().setResolved(c.id, '2026-01-02T00:00:00.000Z')).toBe(true);
    expect((await repo().get(c.id))!.resolvedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(await repo().setResolved(c.id, null)).toBe(true);
    expect((await repo().get(c.id))!.resolvedAt).toBeNull();
    expect(await repo().setResolved('nosuchcomment', null)).toBe(false);
    const review = {
      id: `r${task.id}`,
      taskId: task.id,
      body: null,
      headSha: 'c'.repeat(40),
      sentAt: '2026-01-03T00:00:00.000Z',
    };
    const pending = await repo().insert(comment(`d2${task.id}`, task.id, '2026-01-01T00:00:02.000Z'));
    await repo().sendReview(review, [c.id]);
    expect(await repo().deletePending(c.id)).toBe(false);
    expect(await repo().deletePending(pending.id)).toBe(true);
    expect((await repo().listByTask(task.id)).map((x) => x.id)).toEqual([c.id]);
  });
});
