/**
 * The role check in a workspace for every route on one task, project or schedule (`/api/tasks/:id…`,
 * `/api/projects/:name`, `/api/projects/:id/…` and `/api/schedules/:id…`): before the handler runs, the caller's role in that
 * task's or project's workspace must reach the route's minimum role. A route added under those paths is
 * covered without a line of its own. An unknown id is left to the handler (its 404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../domain/actor.js';
import type { Services } from '../services/index.js';
import { requireRoleIn } from './actor.js';

const isRole = (access: unknown): access is Role => ROLES.includes(access as Role);

async function workspaceOf(req: FastifyRequest, s: Services): Promise<string | null> {
  const url = req.routeOptions.url ?? '';
  const params = (req.params ?? {}) as Record<string, unknown>;
  const key = params.id ?? params.name;
  if (typeof key !== 'string') return null;
  try {
    if (url.startsWith('/api/tasks/:id')) {
      const task = await s.tasks.get(key);
      return (await s.projects.find(task.projectId))?.workspace ?? null;
    }
    if (url.startsWith('/api/projects/:')) return (await s.projects.find(key))?.workspace ?? null;
    if (url.startsWith('/api/schedules/:id')) {
      const schedule = await s.intake.schedules.get(key);
      return (await s.projects.find(schedule.projectId))?.workspace ?? null;
    }
  } catch {
    return null;
  }
  return null;
}

export function installWorkspaceGuard(app: FastifyInstance, s: Services): void {
  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!isRole(access) || !req.actor) return;
    const workspace = await workspaceOf(req, s);
    if (workspace !== null) requireRoleIn(req, workspace, access);
  });
}
