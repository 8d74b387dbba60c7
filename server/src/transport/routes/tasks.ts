/**
 * /api/tasks: create, list, show, events, runs, and the actions on a task.
 */
import type { FastifyInstance } from 'fastify';
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

export function registerTaskRoutes(app: FastifyInstance, s: Services): void {
  const present = (t: TaskRecord) => s.views.one(t);
  const idOf = (params: unknown) => parse(idParam, params, 'task id').id;
  const emptyBody = (body: unknown) => parse(textBody.partial().strict(), body ?? {}, 'body');

  app.get('/api/tasks', needs('token'), async (req) => {
    const q = parse(listTasksQuery, req.query, 'query');
    return s.views.many(await s.tasks.list(q));
  });
  app.post('/api/tasks', needs('token'), async (req, reply) => {
    const body = parse(createTaskBody, req.body, 'task');
    reply.code(201);
    return present(await s.tasks.create(body));
  });
  app.get('/api/tasks/:id', needs('token'), async (req) => present(await s.tasks.get(idOf(req.params))));
  app.get('/api/tasks/:id/events', needs('token'), async (req, reply) => {
    const task = await s.tasks.get(idOf(req.params));
    const q = parse(eventsQuery, req.query, 'query');
    const page = await readEventPage(
      (after, limit) => s.events.backlog(task.id, after, limit),
      q.after,
      q.limit,
    );
    return reply.type('application/json; charset=utf-8').send(page);
  });
  app.get('/api/tasks/:id/runs', needs('token'), async (req) => {
    const task = await s.tasks.get(idOf(req.params));
    return (await s.tasks.runs(task.id)).map(presentRun);
  });
  app.post('/api/tasks/:id/move', needs('token'), async (req) => {
    const { status } = parse(moveTaskBody, req.body, 'move');
    return present(await s.tasks.move(idOf(req.params), status));
  });
  app.post('/api/tasks/:id/cancel', needs('token'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.cancel(idOf(req.params)));
  });
  app.post('/api/tasks/:id/resume', needs('token'), async (req) => {
    const { text } = parse(textBody, req.body, 'feedback');
    return present(await s.tasks.resume(idOf(req.params), text));
  });
  app.post('/api/tasks/:id/answer', needs('token'), async (req) => {
    const { text } = parse(textBody, req.body, 'answer');
    return present(await s.tasks.answer(idOf(req.params), text));
  });
  app.post('/api/tasks/:id/approve', needs('token'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.approve(idOf(req.params)));
  });
  app.post('/api/tasks/:id/deny', needs('token'), async (req) => {
    const { reason } = parse(denyBody, req.body ?? {}, 'deny');
    return present(await s.tasks.deny(idOf(req.params), reason));
  });
  app.post('/api/tasks/:id/stop-loop', needs('token'), async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.stopLoop(idOf(req.params)));
  });
}
