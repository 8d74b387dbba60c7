/**
 * /api/tasks: create, list, show, events, runs, and the actions on a task.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createTaskBody,
  denyBody,
  eventsQuery,
  idParam,
  listTasksQuery,
  moveTaskBody,
  textBody,
} from '../../../../shared/api.js';
import type { Services } from '../../services/index.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { readEventPage } from '../event-page.js';
import { presentRun } from '../presenters.js';
import { parse } from '../validate.js';
import { needs } from '../access.js';
import { actorOf, canView, requireRoleIn } from '../actor.js';
import type { Role } from '../../domain/actor.js';

export function registerTaskRoutes(app: FastifyInstance, s: Services): void {
  const present = (t: TaskRecord) => s.views.one(t);
  const idOf = (params: unknown) => parse(idParam, params, 'task id').id;
  const emptyBody = (body: unknown) => parse(textBody.partial().strict(), body ?? {}, 'body');
  /** The task's id, once the caller's role in the task's workspace is at least `min`. */
  const allowed = async (req: FastifyRequest, min: Role): Promise<string> => {
    const task = await s.tasks.get(idOf(req.params));
    const project = await s.projects.find(task.projectId);
    requireRoleIn(req, project?.workspace ?? '', min);
    return task.id;
  };

  app.get('/api/tasks', needs('viewer'), async (req) => {
    const q = parse(listTasksQuery, req.query, 'query');
    return (await s.views.many(await s.tasks.list(q))).filter((t) => canView(req, t.workspace));
  });
  app.post('/api/tasks', needs('operator', 'task.create'), async (req, reply) => {
    const body = parse(createTaskBody, req.body, 'task');
    const project = await s.projects.find(body.project);
    if (project) requireRoleIn(req, project.workspace, 'operator');
    reply.code(201);
    return present(await s.tasks.create(body, actorOf(req)));
  });
  app.get('/api/tasks/:id', needs('viewer'), async (req) =>
    present(await s.tasks.get(await allowed(req, 'viewer'))),
  );
  app.get('/api/tasks/:id/events', needs('viewer'), async (req, reply) => {
    const task = await s.tasks.get(await allowed(req, 'viewer'));
    const q = parse(eventsQuery, req.query, 'query');
    const page = await readEventPage(
      (after, limit) => s.events.backlog(task.id, after, limit),
      q.after,
      q.limit,
    );
    return reply.type('application/json; charset=utf-8').send(page);
  });
  app.get('/api/tasks/:id/runs', needs('viewer'), async (req) => {
    const task = await s.tasks.get(await allowed(req, 'viewer'));
    const triggers = await s.intake.prAutofix.triggers(task.id);
    return (await s.tasks.runs(task.id)).map((r) => presentRun(r, triggers.get(r.id)));
  });
  app.post('/api/tasks/:id/move', needs('operator', 'task.move'), async (req) => {
    const { status } = parse(moveTaskBody, req.body, 'move');
    return present(await s.tasks.move(await allowed(req, 'operator'), status));
  });
  app.post('/api/tasks/:id/cancel', needs('operator', 'task.cancel'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.cancel(await allowed(req, 'operator')));
  });
  app.post('/api/tasks/:id/resume', needs('operator', 'task.resume'), async (req) => {
    const { text } = parse(textBody, req.body, 'feedback');
    return present(await s.tasks.resume(await allowed(req, 'operator'), text));
  });
  app.post('/api/tasks/:id/answer', needs('operator', 'task.answer'), async (req) => {
    const { text } = parse(textBody, req.body, 'answer');
    return present(await s.tasks.answer(await allowed(req, 'operator'), text));
  });
  app.post('/api/tasks/:id/approve', needs('operator', 'task.approve'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.approve(await allowed(req, 'operator')));
  });
  app.post('/api/tasks/:id/deny', needs('operator', 'task.deny'), async (req) => {
    const { reason } = parse(denyBody, req.body ?? {}, 'deny');
    return present(await s.tasks.deny(await allowed(req, 'operator'), reason));
  });
  app.post('/api/tasks/:id/stop-loop', needs('operator', 'task.stop-loop'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.stopLoop(await allowed(req, 'operator')));
  });
}
