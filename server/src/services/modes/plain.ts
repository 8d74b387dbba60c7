/**
 * A plain task: one agent session, resumed with feedback or answers. A turn that ends with a question
 * waits in review with the question; otherwise the run's end is the task's review.
 */
import { extractTrailingQuestion } from '../../domain/question.js';
import { newId, nowIso } from '../../ids.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { Decision, ModeDriver, NextRun, RunResult } from './mode-driver.js';

/** The plain way to run a task's next run: its pending prompt, in its session when it has one. */
export function plainNextRun(
  task: TaskRecord,
  extra: { planMode?: boolean; appendSystemPrompt?: string; kind?: 'plan' } = {},
): NextRun {
  return {
    kind: 'run',
    spec: {
      prompt: task.nextPrompt ?? task.prompt,
      model: task.model,
      resumeSessionId: task.sessionId,
      planMode: extra.planMode ?? false,
      kind: extra.kind ?? (task.sessionId ? 'resume' : 'initial'),
      label: extra.kind === 'plan' ? 'Plan' : null,
      appendSystemPrompt: extra.appendSystemPrompt,
    },
  };
}

/**
 * What a plain run's end means.
 * Rules: an error fails the task; a final text that asks the user something waits in review with the
 * question; anything else is done work, in review.
 */
export function plainAfterRun(result: RunResult): Decision {
  const { outcome } = result;
  if (outcome.error)
    return {
      kind: 'settle',
      to: 'failed',
      stopReason: 'error',
      reason: outcome.error.message,
      patch: { error: outcome.error.message },
      notify: 'failed',
    };
  const question = outcome.finalText ? extractTrailingQuestion(outcome.finalText) : null;
  if (question) {
    return {
      kind: 'settle',
      to: 'review',
      stopReason: 'input_required',
      reason: 'the agent asks a question',
      patch: {
        inputRequired: true,
        pendingInput: {
          requestId: newId(),
          kind: 'question',
          live: false,
          text: question,
          createdAt: nowIso(),
        },
      },
      notify: 'input_required',
    };
  }
  return {
    kind: 'settle',
    to: 'review',
    stopReason: 'completed',
    reason: 'the agent finished',
    notify: 'review',
  };
}

export const plainDriver: ModeDriver = {
  nextRun: async (task) => plainNextRun(task),
  afterRun: async (result) => plainAfterRun(result),
  resume: (_task, text) => ({ prompt: text }),
};
