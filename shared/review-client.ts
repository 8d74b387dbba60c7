/**
 * The client calls of a task's review: its pull request, commits, changes and diffs, conflicts resolved,
 * and the review comments sent back to the agent, spread into `createClient`.
 */
import type { CreateCommentBody, TaskDto } from './api.js';
import type { ChangesDto, CommitDto, DiffDto, PullRequestDto, ReviewCommentDto } from './review-dto.js';
import { query, type Request, type Send } from './client-http.js';

export function reviewMethods(send: Send, request: Request) {
  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  const comment = (id: string, commentId: string) => `${task(id)}/comments/${encodeURIComponent(commentId)}`;
  return {
    pr: (id: string) => request<PullRequestDto>('POST', `${task(id)}/pr`),
    commits: (id: string) => request<CommitDto[]>('GET', `${task(id)}/commits`),
    changes: (id: string) => request<ChangesDto>('GET', `${task(id)}/changes`),
    diff: (id: string, which: { path?: string; commit?: string } = {}) =>
      request<DiffDto>('GET', `${task(id)}/diff${query(which)}`),
    resolve: (id: string) => request<TaskDto>('POST', `${task(id)}/resolve`),
    comments: (id: string) => request<ReviewCommentDto[]>('GET', `${task(id)}/comments`),
    addComment: (id: string, body: CreateCommentBody) =>
      request<ReviewCommentDto>('POST', `${task(id)}/comments`, body),
    resolveComment: (id: string, commentId: string, resolved = true) =>
      request<ReviewCommentDto>('POST', `${comment(id, commentId)}/resolve`, { resolved }),
    deleteComment: async (id: string, commentId: string) => {
      await send('DELETE', comment(id, commentId));
    },
    /** Sends the pending comments to the agent (a resume), with an optional summary. */
    sendReview: (id: string, body?: string) =>
      request<TaskDto>('POST', `${task(id)}/reviews`, body === undefined ? {} : { body }),
  };
}
