import { describe, expect, it } from 'vitest';
import { bodyProblem, DEFAULT_RUN_OPTIONS, defaultRunOptions, taskBody, type TaskForm } from './task-body.js';

const form = (change: Partial<TaskForm> = {}): TaskForm => ({
  project: 'api',
  prompt: 'fix it',
  profile: 'standard',
  options: DEFAULT_RUN_OPTIONS,
  waits: { after: [], on: null },
  attachments: [],
  ...change,
});

describe('the new task dialog’s request', () => {
  it('sends the mode and nothing that was left empty', () => {
    expect(taskBody(form())).toEqual({
      project: 'api',
      prompt: 'fix it',
      profile: 'standard',
      worktree: true,
      approval: 'auto',
    });
  });

  it('sends the loop’s limit only for a Ralph loop, the cost cap, the waits and the images', () => {
    const options = { ...DEFAULT_RUN_OPTIONS, maxIterations: '7', maxCost: ' 2.5 ' };
    expect(taskBody(form({ options }))).not.toHaveProperty('maxIterations');
    const body = taskBody(
      form({
        options: { ...options, ralph: true },
        waits: { after: ['t1', 't2'], on: 't2' },
        attachments: ['abcdefabcdef'],
      }),
    );
    expect(body).toMatchObject({
      ralph: true,
      maxIterations: 7,
      maxCostUsd: 2.5,
      after: ['t1'],
      on: 't2',
      attachments: ['abcdefabcdef'],
    });
  });

  it('names the first field the shared schema refuses', () => {
    expect(bodyProblem(taskBody(form()))).toBeNull();
    expect(bodyProblem(taskBody(form({ prompt: '  ' })))).toMatch(/^prompt: /);
    const options = { ...DEFAULT_RUN_OPTIONS, ralph: true, maxIterations: '0' };
    expect(bodyProblem(taskBody(form({ options })))).toMatch(/^maxIterations: /);
  });

  it('starts with auto approval only where the server runs it, else careful', () => {
    const sandbox = { available: false, reason: 'no bwrap' };
    expect(defaultRunOptions(undefined).approval).toBe('auto');
    expect(defaultRunOptions({ sandbox: { ...sandbox, autoAllowed: true } }).approval).toBe('auto');
    expect(defaultRunOptions({ sandbox: { ...sandbox, autoAllowed: false } }).approval).toBe('careful');
  });
});
