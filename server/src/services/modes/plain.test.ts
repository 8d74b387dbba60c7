/**
 * The plain mode driver, called directly: what the next run is and what a finished run means for the task.
 */
import { describe, expect, it } from 'vitest';
import { buildTask } from '../../storage/testing/factories.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { buildOutcome, buildRunResult, failedOutcome } from '../testing/run-results.js';
import { plainDriver } from './plain.js';

const task = (over: Partial<TaskRecord> = {}) =>
  buildTask({ projectId: 'p1', status: 'running', prompt: 'add a changelog', ...over });

describe('plain driver: the next run', () => {
  it('starts a new session with the task prompt', async () => {
    expect(await plainDriver.nextRun(task(), 0)).toEqual({
      kind: 'run',
      spec: {
        prompt: 'add a changelog',
        model: 'claude-sonnet-4-5',
        resumeSessionId: null,
        planMode: false,
        kind: 'initial',
        label: null,
        appendSystemPrompt: undefined,
      },
    });
  });

  it('resumes the session with the pending prompt (feedback, an answer) when there is one', async () => {
    const next = await plainDriver.nextRun(task({ sessionId: 's1', nextPrompt: 'use tabs' }), 0);
    expect(next).toMatchObject({
      kind: 'run',
      spec: { prompt: 'use tabs', resumeSessionId: 's1', kind: 'resume' },
    });
  });

  it('takes the words of a resume as the next prompt', () => {
    expect(plainDriver.resume(task(), 'also update the README')).toEqual({
      prompt: 'also update the README',
    });
  });
});

describe('plain driver: after a run', () => {
  it('an error fails the task with the message', async () => {
    const d = await plainDriver.afterRun(
      buildRunResult(task(), { outcome: failedOutcome('API Error: 500') }),
      0,
    );
    expect(d).toEqual({
      kind: 'settle',
      to: 'failed',
      stopReason: 'error',
      reason: 'API Error: 500',
      patch: { error: 'API Error: 500' },
      notify: 'failed',
    });
  });

  it('a turn that ends asking waits in review with the question, not live', async () => {
    const outcome = buildOutcome({
      finalText: 'I set up the formatter.\n\nShould I use **tabs** or spaces?',
    });
    const d = await plainDriver.afterRun(buildRunResult(task(), { outcome }), 0);
    expect(d).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'input_required',
      notify: 'input_required',
      patch: {
        inputRequired: true,
        pendingInput: { kind: 'question', live: false, text: 'Should I use tabs or spaces?' },
      },
    });
  });

  it('anything else is finished work in review, also without a final text', async () => {
    for (const finalText of ['Done. The tests pass.', null]) {
      const d = await plainDriver.afterRun(
        buildRunResult(task(), { outcome: buildOutcome({ finalText }) }),
        0,
      );
      expect(d).toEqual({
        kind: 'settle',
        to: 'review',
        stopReason: 'completed',
        reason: 'the agent finished',
        notify: 'review',
      });
    }
  });
});
