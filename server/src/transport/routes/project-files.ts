/**
 * /api/projects/:id/files?q= (fuzzy search over the project's files) and /api/projects/:id/commands
 * (the slash commands an agent in this project knows). Read-only.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FileSearchResult, SlashCommandDto } from '../../../../shared/api.js';
import type { ProjectFiles } from '../../services/project-files.js';
import { parse } from '../validate.js';
import { needs } from '../access.js';

const projectParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, 'a project id or name'),
});
const filesQuery = z.strictObject({
  q: z
    .string()
    .max(200)
    .refine((s) => !s.includes('\0'), 'no NUL')
    .default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function registerProjectFileRoutes(app: FastifyInstance, s: { projectFiles: ProjectFiles }): void {
  const files = s.projectFiles;
  app.get('/api/projects/:id/files', needs('viewer'), async (req): Promise<FileSearchResult> => {
    const { id } = parse(projectParam, req.params, 'project');
    const q = parse(filesQuery, req.query, 'query');
    return files.search(id, q.q, q.limit);
  });
  app.get('/api/projects/:id/commands', needs('viewer'), async (req): Promise<SlashCommandDto[]> => {
    const { id } = parse(projectParam, req.params, 'project');
    return files.commands(id);
  });
}
