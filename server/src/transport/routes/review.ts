/**
 * Review and git routes: a task's commits, changes and diffs, its pull request, resolving rebase
 * conflicts with the agent, and pruning worktrees.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { diffQuery, idParam, type TaskDto } from '../../../../shared/api.js';
import type { Cleanup } from '../../services/cleanup.js';
import type { PullRequests } from '../../services/pull-requests.js';
import type { Review } from '../../services/review.js';
import type { TaskViews } from '../../services/task-views.js';
import { parse } from '../validate.js';
import { needs } from '../access.js';
import { requireEverywhere } from '../actor.js';

/** The services these routes need (a subset of `Services`). */
export interface ReviewRouteServices {
  review: Review;
  views: TaskViews;
  pullRequests: PullRequests;
  cleanup: Cleanup;
}

const noBody = z.strictObject({});

export function registerReviewRoutes(app: FastifyInstance, s: ReviewRouteServices): void {
  const idOf = (params: unknown) => parse(idParam, params, 'task id').id;

  app.get('/api/tasks/:id/commits', needs('viewer'), async (req) => s.review.commits(idOf(req.params)));
  app.get('/api/tasks/:id/changes', needs('viewer'), async (req) => s.review.changes(idOf(req.params)));
  app.get('/api/tasks/:id/diff', needs('viewer'), async (req) => {
    const id = idOf(req.params);
    return s.review.diff(id, parse(diffQuery, req.query, 'query'));
  });
  app.post('/api/tasks/:id/pr', needs('operator', 'task.pr'), async (req) => {
    const id = idOf(req.params);
    parse(noBody, req.body ?? {}, 'body');
    return s.pullRequests.open(id);
  });
  app.post('/api/tasks/:id/resolve', needs('operator', 'task.resolve'), async (req): Promise<TaskDto> => {
    const id = idOf(req.params);
    parse(noBody, req.body ?? {}, 'body');
    const task = await s.review.resolve(id);
    return s.views.one(task);
  });
  app.post('/api/worktrees/prune', needs('admin', 'worktrees.prune'), async (req) => {
    parse(noBody, req.body ?? {}, 'body');
    requireEverywhere(req, 'admin');
    return s.cleanup.prune();
  });
}
