/**
 * Test data: a complete TaskDto with plain defaults (a queued task of project `web`), for any client's
 * tests. Each suite layers its own defaults over it; the contract's fields live in one place.
 */
import type { TaskDto } from '../api.js';

export function buildTaskDto(over: Partial<TaskDto> = {}): TaskDto {
  return {
    id: 'abcd00000001',
    title: 'Fix the login bug',
    prompt: 'fix it',
    project: 'web',
    projectId: 'p1',
    workspace: 'default',
    status: 'queued',
    profile: 'standard',
    agent: 'claude',
    worker: null,
    model: 'claude-sonnet-4-5',
    approval: 'auto',
    branch: null,
    baseBranch: 'main',
    worktreePath: null,
    costUsd: 0,
    maxCostUsd: null,
    inputRequired: false,
    pendingInput: null,
    stopReason: null,
    error: null,
    iterations: 0,
    sessionId: null,
    health: null,
    healthReason: null,
    lastEventSeq: 0,
    attachments: [],
    pr: null,
    conflictFiles: null,
    step: null,
    loop: null,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...over,
  };
}
