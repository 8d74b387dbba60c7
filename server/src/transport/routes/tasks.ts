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
  type EventPage,
} from '../../../../shared/api.js';
import type { Services } from '../../services/index.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { presentRun, presentTask } from '../presenters.js';
import { parse } from '../validate.js';

export function registerTaskRoutes(app: FastifyInstance, s: Services): void {
  const present = async (t: TaskRecord) =>
    presentTask(t, await s.projects.find(t.projectId), await s.pullRequests.gitState(t.id));
  const idOf = (params: unknown) => parse(idParam, params, 'task id').id;
  const emptyBody = (body: unknown) => parse(textBody.partial().strict(), body ?? {}, 'body');

  app.get('/api/tasks', async (req) => {
    const q = parse(listTasksQuery, req.query, 'query');
    const projects = new Map((await s.projects.list()).map((p) => [p.id, p]));
    const tasks = await s.tasks.list(q);
    const git = await s.pullRequests.gitStates(tasks.map((t) => t.id));
    return tasks.map((t) => presentTask(t, projects.get(t.projectId), git.get(t.id)));
  });
  app.post('/api/tasks', async (req, reply) => {
    const body = parse(createTaskBody, req.body, 'task');
    reply.code(201);
    return present(await s.tasks.create(body));
  });
  app.get('/api/tasks/:id', async (req) => present(await s.tasks.get(idOf(req.params))));
  app.get('/api/tasks/:id/events', async (req): Promise<EventPage> => {
    const task = await s.tasks.get(idOf(req.params));
    const q = parse(eventsQuery, req.query, 'query');
    const events = await s.events.backlog(task.id, q.after, q.limit);
    return { events, lastSeq: events.at(-1)?.seq ?? q.after };
  });
  app.get('/api/tasks/:id/runs', async (req) => {
    const task = await s.tasks.get(idOf(req.params));
    return (await s.tasks.runs(task.id)).map(presentRun);
  });
  app.post('/api/tasks/:id/move', async (req) => {
    const { status } = parse(moveTaskBody, req.body, 'move');
    return present(await s.tasks.move(idOf(req.params), status));
  });
  app.post('/api/tasks/:id/cancel', async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.cancel(idOf(req.params)));
  });
  app.post('/api/tasks/:id/resume', async (req) => {
    const { text } = parse(textBody, req.body, 'feedback');
    return present(await s.tasks.resume(idOf(req.params), text));
  });
  app.post('/api/tasks/:id/answer', async (req) => {
    const { text } = parse(textBody, req.body, 'answer');
    return present(await s.tasks.answer(idOf(req.params), text));
  });
  app.post('/api/tasks/:id/approve', async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.approve(idOf(req.params)));
  });
  app.post('/api/tasks/:id/deny', async (req) => {
    const { reason } = parse(denyBody, req.body ?? {}, 'deny');
    return present(await s.tasks.deny(idOf(req.params), reason));
  });
  app.post('/api/tasks/:id/stop-loop', async (req) => {
    emptyBody(req.body);
    return present(await s.tasks.stopLoop(idOf(req.params)));
  });
}
