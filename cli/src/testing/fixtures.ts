/** Test helper: small factories for DTOs and events with sensible defaults. Not a product module. */
import type { TaskDto } from '../../../shared/api.js';
import { buildTaskDto } from '../../../shared/testing/build-task.js';

/** A running task of project `demo` with a branch, a worktree and some cost; override any field. */
export function buildTask(overrides: Partial<TaskDto> = {}): TaskDto {
  return buildTaskDto({
    id: 'abcd1234ef',
    title: 'Fix the auth bug',
    prompt: 'fix the auth bug',
    project: 'demo',
    status: 'running',
    branch: 'gluon-task/abcd1234ef',
    worktreePath: '/data/worktrees/wt-abcd1234ef',
    costUsd: 0.0123,
    health: 'green',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  });
}

export { buildEvent } from '../../../shared/testing/build-event.js';
