/**
 * Review comments and "Send review": a task's comments (anchored at its branch tip), adding, resolving and
 * deleting one, and sending the pending ones to the agent.
 */
import type { FastifyInstance } from 'fastify';
import {
  commentParams,
  createCommentBody,
  idParam,
  resolveCommentBody,
  sendReviewBody,
  type TaskDto,
} from '../../../../shared/api.js';
import type { ReviewComments } from '../../services/review-comments.js';
import type { TaskViews } from '../../services/task-views.js';
import { needs } from '../access.js';
import { noQuery, parse } from '../validate.js';

export interface ReviewCommentRouteServices {
  reviewComments: ReviewComments;
  views: TaskViews;
}

export function registerReviewCommentRoutes(app: FastifyInstance, s: ReviewCommentRouteServices): void {
  const idOf = (params: unknown) => parse(idParam, params, 'task id').id;
  const commentOf = (params: unknown) => parse(commentParams, params, 'comment id');

  app.get('/api/tasks/:id/comments', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    return s.reviewComments.list(idOf(req.params));
  });
  app.post('/api/tasks/:id/comments', needs('operator'), async (req, reply) => {
    const id = idOf(req.params);
    const body = parse(createCommentBody, req.body, 'body');
    const comment = await s.reviewComments.create(id, body);
    reply.code(201);
    return comment;
  });
  app.post('/api/tasks/:id/comments/:commentId/resolve', needs('operator'), async (req) => {
    const { id, commentId } = commentOf(req.params);
    const { resolved } = parse(resolveCommentBody, req.body ?? {}, 'body');
    return s.reviewComments.setResolved(id, commentId, resolved);
  });
  app.delete('/api/tasks/:id/comments/:commentId', needs('operator'), async (req, reply) => {
    const { id, commentId } = commentOf(req.params);
    await s.reviewComments.remove(id, commentId);
    return reply.code(204).send();
  });
  app.post('/api/tasks/:id/reviews', needs('operator'), async (req): Promise<TaskDto> => {
    const id = idOf(req.params);
    const { body } = parse(sendReviewBody, req.body ?? {}, 'body');
    return s.views.one(await s.reviewComments.send(id, body));
  });
}
