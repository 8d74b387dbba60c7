/**
 * /api/schedules: add, list, show (with runs), pause, resume, remove and run now; and
 * /api/tasks/:id/origin, where a task came from (a schedule, a GitHub issue).
 */
import type { FastifyInstance } from 'fastify';
import { idParam } from '../../../../shared/api.js';
import { createScheduleBody, scheduleIdParam } from '../../../../shared/intake-api.js';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';
import { canView, requireRoleIn } from '../actor.js';
import { noQuery, parse } from '../validate.js';

export function registerScheduleRoutes(app: FastifyInstance, s: Services): void {
  const { schedules } = s.intake;
  const idOf = (params: unknown) => parse(scheduleIdParam, params, 'schedule id').id;
  const noBody = (body: unknown) => parse(noQuery, body ?? {}, 'body');

  app.get('/api/schedules', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    const all = await Promise.all((await schedules.list()).map((r) => schedules.present(r)));
    const workspaces = new Map((await s.projects.list()).map((p) => [p.name, p.workspace]));
    return all.filter((d) => canView(req, workspaces.get(d.project) ?? ''));
  });
  app.post('/api/schedules', needs('operator'), async (req, reply) => {
    const body = parse(createScheduleBody, req.body, 'schedule');
    const project = await s.projects.find(body.project);
    if (project) requireRoleIn(req, project.workspace, 'operator');
    reply.code(201);
    return schedules.present(await schedules.create(body));
  });
  app.get('/api/schedules/:id', needs('viewer'), async (req) =>
    schedules.present(await schedules.get(idOf(req.params)), true),
  );
  app.post('/api/schedules/:id/pause', needs('operator'), async (req) => {
    noBody(req.body);
    return schedules.present(await schedules.pause(idOf(req.params)));
  });
  app.post('/api/schedules/:id/resume', needs('operator'), async (req) => {
    noBody(req.body);
    return schedules.present(await schedules.resume(idOf(req.params)));
  });
  app.delete('/api/schedules/:id', needs('operator'), async (req) =>
    schedules.present(await schedules.remove(idOf(req.params))),
  );
  app.post('/api/schedules/:id/run', needs('operator'), async (req, reply) => {
    noBody(req.body);
    reply.code(201);
    return s.views.one(await schedules.runNow(idOf(req.params)));
  });
  app.get('/api/tasks/:id/origin', needs('viewer'), async (req) => {
    const task = await s.tasks.get(parse(idParam, req.params, 'task id').id);
    return s.intake.origin(task.id);
  });
}
