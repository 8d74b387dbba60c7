/**
 * A task's review comments and what a reviewer does with them: add one (pending), resolve or reopen,
 * delete a pending one, send the pending ones as a review. Every change refetches the list.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateCommentBody, TaskDto } from '../../../../shared/api.js';
import type { ReviewCommentDto } from '../../../../shared/review-dto.js';
import { useGluon } from '../../hooks/useGluon.js';

export interface ReviewComments {
  comments: ReviewCommentDto[];
  pending: number;
  add(body: CreateCommentBody): Promise<boolean>;
  resolve(id: string, resolved: boolean): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  send(summary: string): Promise<boolean>;
}

export function useReviewComments(task: TaskDto): ReviewComments {
  const { api, toast } = useGluon();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['comments', task.id, task.lastEventSeq],
    queryFn: () => api.comments(task.id),
    retry: false,
  });
  const run = async (what: () => Promise<unknown>, done?: string): Promise<boolean> => {
    try {
      await what();
      if (done) toast(done);
      return true;
    } catch (err) {
      toast((err as Error).message, 'error');
      return false;
    } finally {
      await client.invalidateQueries({ queryKey: ['comments', task.id] });
    }
  };
  const comments = query.data ?? [];
  return {
    comments,
    pending: comments.filter((c) => c.reviewId === null).length,
    add: (body) => run(() => api.addComment(task.id, body)),
    resolve: (id, resolved) => run(() => api.resolveComment(task.id, id, resolved)),
    remove: (id) => run(() => api.deleteComment(task.id, id)),
    send: (summary) =>
      run(() => api.sendReview(task.id, summary.trim() ? summary : undefined), 'Review sent to the agent'),
  };
}
