/**
 * Merging in order and forking (issue 14, parts 4 and 5): start a merge queue over tasks of one project
 * (its per-task outcomes are read back while it runs), and fork a task.
 */
import type { FastifyInstance } from 'fastify';
import { forkBody, idParam, mergeBody, mergeQueueParam, type TaskDto } from '../../../../shared/api.js';
import type { MergeQueue } from '../../services/merge-queue.js';
import type { TaskFork } from '../../services/task-fork.js';
import type { TaskViews } from '../../services/task-views.js';
import { needs } from '../access.js';
import { requireRoleIn } from '../actor.js';
import { parse } from '../validate.js';

export function registerMergeRoutes(
  app: FastifyInstance,
  s: { mergeQueue: MergeQueue; forks: TaskFork; views: TaskViews },
): void {
  // Not under /api/tasks/:id, so the workspace guard does not see it: the project's workspace is checked here.
  app.post('/api/merge', needs('operator', 'task.merge'), async (req, reply) => {
    const { tasks } = parse(mergeBody, req.body, 'body');
    const queue = await s.mergeQueue.start(tasks, (project) =>
      requireRoleIn(req, project.workspace, 'operator'),
    );
    return reply.code(202).send(queue);
  });
  app.get('/api/merge-queues/:id', needs('viewer'), async (req) => {
    const { id } = parse(mergeQueueParam, req.params, 'merge queue id');
    const project = await s.mergeQueue.projectOf(id);
    if (project) requireRoleIn(req, project.workspace, 'viewer');
    return s.mergeQueue.get(id);
  });
  app.post('/api/tasks/:id/fork', needs('operator', 'task.fork'), async (req, reply): Promise<TaskDto> => {
    const { id } = parse(idParam, req.params, 'task id');
    const { prompt } = parse(forkBody, req.body ?? {}, 'body');
    const task = await s.forks.fork(id, prompt);
    return reply.code(201).send(await s.views.one(task));
  });
}
