/** Test data: a complete ProjectDto (project `demo` at /home/me/demo) for any client's tests. */
import type { ProjectDto } from '../api.js';

export function buildProjectDto(over: Partial<ProjectDto> = {}): ProjectDto {
  return {
    id: 'p1',
    name: 'demo',
    workspace: 'default',
    path: '/home/me/demo',
    defaultBranch: 'main',
    remote: null,
    github: null,
    maxCostPerDayUsd: null,
    maxCostPerMonthUsd: null,
    trustRepoSettings: false,
    issueLabel: null,
    prAutofix: false,
    prAutofixCapUsd: 5,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}
