/**
 * The client calls of the server itself (health, agents, workers), workspaces and projects (with their
 * files and slash commands for completion), spread into `createClient`.
 */
import type {
  AgentDto,
  CreateProjectBody,
  FileSearchResult,
  HealthDto,
  ProjectDto,
  SlashCommandDto,
  UpdateProjectBody,
  WorkspaceDto,
} from './api.js';
import type { PruneReportDto } from './review-dto.js';
import type { WorkerDto } from './fleet-dto.js';
import { query, type Request } from './client-http.js';

export function projectMethods(request: Request) {
  const project = (id: string) => `/api/projects/${encodeURIComponent(id)}`;
  return {
    health: () => request<HealthDto>('GET', '/api/health'),
    listWorkspaces: () => request<WorkspaceDto[]>('GET', '/api/workspaces'),
    agents: () => request<AgentDto[]>('GET', '/api/agents'),
    workers: () => request<WorkerDto[]>('GET', '/api/workers'),
    listProjects: () => request<ProjectDto[]>('GET', '/api/projects'),
    addProject: (body: CreateProjectBody) => request<ProjectDto>('POST', '/api/projects', body),
    updateProject: (name: string, body: UpdateProjectBody) =>
      request<ProjectDto>('PATCH', project(name), body),
    /** A project's files matching `q` (fuzzy), for `@` completion. */
    searchFiles: (id: string, q: string) =>
      request<FileSearchResult>('GET', `${project(id)}/files${query({ q })}`),
    /** The slash commands an agent in the project knows, for `/` completion. */
    listCommands: (id: string) => request<SlashCommandDto[]>('GET', `${project(id)}/commands`),
    pruneWorktrees: () => request<PruneReportDto>('POST', '/api/worktrees/prune'),
  };
}
