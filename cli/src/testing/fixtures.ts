/** Test helper: small factories for DTOs and events with sensible defaults. Not a product module. */
import type { TaskDto } from '../../../shared/api.js';
import type { EventDataMap, EventType, GluonEvent } from '../../../shared/events.js';

/** A task DTO; override any field. */
export function buildTask(overrides: Partial<TaskDto> = {}): TaskDto {
  return {
    id: 'abcd1234ef',
    title: 'Fix the auth bug',
    prompt: 'fix the auth bug',
    project: 'demo',
    projectId: 'p1',
    workspace: 'default',
    status: 'running',
    profile: 'standard',
    model: 'claude-sonnet-4-5',
    approval: 'auto',
    branch: 'gluon-task/abcd1234ef',
    baseBranch: 'main',
    worktreePath: '/data/worktrees/wt-abcd1234ef',
    costUsd: 0.0123,
    maxCostUsd: null,
    inputRequired: false,
    pendingInput: null,
    stopReason: null,
    error: null,
    iterations: 0,
    sessionId: null,
    health: 'green',
    healthReason: null,
    lastEventSeq: 0,
    attachments: [],
    pr: null,
    conflictFiles: null,
    step: null,
    loop: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/** An event of `type` with `seq` (task `abcd1234ef`). */
export function buildEvent<K extends EventType>(seq: number, type: K, data: EventDataMap[K]): GluonEvent {
  return { seq, taskId: 'abcd1234ef', runId: 'r1', ts: '2025-01-01T00:00:00.000Z', type, data } as GluonEvent;
}
