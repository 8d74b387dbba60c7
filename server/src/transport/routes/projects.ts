/**
 * /api/projects and /api/workspaces.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createProjectBody,
  DEFAULT_WORKSPACE,
  updateProjectBody,
  type WorkspaceDto,
} from '../../../../shared/api.js';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';
import { canView, requireRoleIn } from '../actor.js';
import { presentProject } from '../presenters.js';
import { noQuery, parse } from '../validate.js';

const projectParam = z.object({ name: z.string().min(1).max(100) });

export function registerProjectRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/workspaces', needs('viewer'), async (req): Promise<WorkspaceDto[]> => {
    parse(noQuery, req.query, 'query');
    return (await s.projects.listWorkspaces()).filter((w) => canView(req, w.name));
  });
  app.get('/api/projects', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    return (await s.projects.list()).filter((p) => canView(req, p.workspace)).map(presentProject);
  });
  app.post('/api/projects', needs('admin', 'project.add'), async (req, reply) => {
    const body = parse(createProjectBody, req.body, 'project');
    requireRoleIn(req, body.workspace ?? DEFAULT_WORKSPACE, 'admin');
    reply.code(201);
    return presentProject(await s.projects.add(body));
  });
  app.patch('/api/projects/:name', needs('admin', 'project.update'), async (req) => {
    const { name } = parse(projectParam, req.params, 'project');
    const body = parse(updateProjectBody, req.body, 'project settings');
    return presentProject(await s.projects.update(name, body));
  });
}
