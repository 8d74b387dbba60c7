import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { buildTaskDto } from '../../shared/testing/build-task.js';
import { taskDetails, taskLine } from './render-task.js';

const text = (task: TaskDto) => taskDetails(task).join('\n');

describe('taskLine', () => {
  it('shows id, status, title, project, profile and cost', () => {
    expect(taskLine(buildTaskDto({ costUsd: 0.0123 }))).toBe(
      'abcd00000001  queued  Fix the login bug · web · standard · $0.0123',
    );
  });

  it('flags a task waiting for input, an unhealthy run and a formula step', () => {
    const task = buildTaskDto({
      status: 'running',
      inputRequired: true,
      health: 'red',
      step: { index: 2, total: 4, name: 'Implement' },
    });
    expect(taskLine(task)).toContain('running [INPUT REQUIRED, health red, step 2/4 Implement]');
  });
});

describe('taskDetails', () => {
  it('says what stopped the task, its cost against the cap, and what to do next in review', () => {
    const out = text(
      buildTaskDto({
        status: 'review',
        stopReason: 'completed',
        costUsd: 0.5,
        maxCostUsd: 2,
        branch: 'gluon-task/x',
      }),
    );
    expect(out).toContain('status: review (last run stopped: completed)');
    expect(out).toContain('cost: $0.5000 of a $2.00 cap');
    expect(out).toContain('branch: gluon-task/x (from main)');
    expect(out).toMatch(/next: read the work with task_diff; resume_task/);
  });

  it('shows a pending approval with the call and the tools that decide it, and no other next step', () => {
    const out = text(
      buildTaskDto({
        status: 'running',
        inputRequired: true,
        pendingInput: {
          requestId: 'r',
          kind: 'approval',
          live: true,
          toolName: 'Bash',
          toolInput: { command: 'rm -rf build' },
          reason: 'destructive command',
          createdAt: '2024-05-01T10:00:00.000Z',
        },
      }),
    );
    expect(out).toContain(
      'WAITING FOR APPROVAL:\n  Bash waits for approval: rm -rf build\n    why: destructive command',
    );
    expect(out).toContain('→ approve_task id=abcd00000001, or deny_task id=abcd00000001');
    expect(out).not.toContain('next:');
  });

  it('shows a pending question with its numbered options', () => {
    const out = text(
      buildTaskDto({
        pendingInput: {
          requestId: 'r',
          kind: 'question',
          live: false,
          questions: [
            { question: 'Tabs or spaces?', options: [{ label: 'tabs', description: 'Use tabs.' }] },
          ],
          createdAt: '2024-05-01T10:00:00.000Z',
        },
      }),
    );
    expect(out).toContain(
      'WAITING FOR AN ANSWER:\n  Tabs or spaces?\n    1. tabs — Use tabs.\n  → answer_task',
    );
  });

  it.each<[Partial<TaskDto>, string | null]>([
    [{ status: 'queued' }, 'wait and call show_task again'],
    [{ status: 'running' }, 'wait and call show_task again'],
    [{ status: 'failed', sessionId: 's' }, 'resume_task with instructions'],
    [{ status: 'failed', sessionId: null }, null],
    [{ status: 'done' }, null],
  ])('suggests the next step for %o', (over, next) => {
    const line = taskDetails(buildTaskDto(over)).find((l) => l.startsWith('next: '));
    if (next === null) expect(line).toBeUndefined();
    else expect(line).toContain(next);
  });

  it('shows a loop, an error, conflicts and a pull request when there are some', () => {
    const out = text(
      buildTaskDto({
        status: 'failed',
        iterations: 3,
        loop: { maxIterations: 20, maxCostUsd: null, breaker: 'open' },
        error: 'the breaker opened\nafter 3 iterations',
        conflictFiles: ['a.ts'],
        pr: { number: 7, url: 'https://github.example/pr/7', state: 'open', checks: null },
      }),
    );
    expect(out).toContain('loop: iteration 3 of at most 20 · breaker open');
    expect(out).toContain('error: the breaker opened after 3 iterations');
    expect(out).toContain('rebase conflicts in: a.ts');
    expect(out).toContain('pull request: #7 open https://github.example/pr/7');
  });
});
