/** Dependencies between tasks: make a queued task wait for more tasks (cycles refused). */
import type { FastifyInstance } from 'fastify';
import { addDependenciesBody, idParam, type TaskDto } from '../../../../shared/api.js';
import type { TaskDependencies } from '../../services/task-dependencies.js';
import type { Tasks } from '../../services/tasks.js';
import type { TaskViews } from '../../services/task-views.js';
import { needs } from '../access.js';
import { parse } from '../validate.js';

export function registerDependencyRoutes(
  app: FastifyInstance,
  s: { dependencies: TaskDependencies; tasks: Pick<Tasks, 'get'>; views: TaskViews },
): void {
  app.post('/api/tasks/:id/dependencies', needs('operator'), async (req): Promise<TaskDto> => {
    const { id } = parse(idParam, req.params, 'task id');
    const { after } = parse(addDependenciesBody, req.body, 'body');
    await s.dependencies.add(id, after);
    return s.views.one(await s.tasks.get(id));
  });
}
