/**
 * /api/projects and /api/workspaces.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createProjectBody, updateProjectBody, type WorkspaceDto } from '../../../../shared/api.js';

const projectParam = z.object({ name: z.string().min(1).max(100) });
import type { Services } from '../../services/index.js';
import { presentProject } from '../presenters.js';
import { parse } from '../validate.js';

export function registerProjectRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/workspaces', async (): Promise<WorkspaceDto[]> => s.projects.listWorkspaces());
  app.get('/api/projects', async () => (await s.projects.list()).map(presentProject));
  app.post('/api/projects', async (req, reply) => {
    const body = parse(createProjectBody, req.body, 'project');
    reply.code(201);
    return presentProject(await s.projects.add(body));
  });
  app.patch('/api/projects/:name', async (req) => {
    const { name } = parse(projectParam, req.params, 'project');
    const body = parse(updateProjectBody, req.body, 'project settings');
    return presentProject(await s.projects.update(name, body));
  });
}
