/**
 * What becomes of a task found `running` when the server starts: its agent died with the previous
 * process, so it is resumed, left waiting for its answer, or failed with the reason. Pure rules.
 */
import type { PendingInput, StopReason } from '../../../shared/api.js';
import type { TransitionCause } from './task-status.js';

export const RESTART_PROMPT =
  'The Gluon server restarted while you were working and your previous turn was cut short. Check the state of the work and continue the task.';

export interface RestartSettlement {
  to: 'review' | 'queued' | 'failed';
  cause: TransitionCause;
  stopReason: StopReason | null;
  reason: string;
  patch: {
    inputRequired: boolean;
    pendingInput: PendingInput | null;
    nextPrompt?: string;
    error?: string;
  };
}

/**
 * How a task left `running` by a dead server settles.
 * Rules:
 * - a session with an open question: review, the question kept (no agent waits for it any more);
 * - a session and resume-on-restart: back to the queue, to resume that session with a restart prompt;
 * - otherwise: failed, saying whether the agent had started.
 */
export function settlementAfterRestart(
  task: { sessionId: string | null; pendingInput: PendingInput | null },
  resumeOnRestart: boolean,
): RestartSettlement {
  const question = task.pendingInput?.kind === 'question' ? task.pendingInput : null;
  if (task.sessionId && question)
    return {
      to: 'review',
      cause: 'run_ended',
      stopReason: 'input_required',
      reason: 'the server restarted while a question was open',
      patch: { inputRequired: true, pendingInput: { ...question, live: false } },
    };
  if (task.sessionId && resumeOnRestart)
    return {
      to: 'queued',
      cause: 'recover',
      stopReason: null,
      reason: 'the server restarted; resuming the session',
      patch: { inputRequired: false, pendingInput: null, nextPrompt: RESTART_PROMPT },
    };
  const reason = task.sessionId
    ? 'the server restarted during the run (resuming on restart is off)'
    : 'the server stopped before the agent started';
  return {
    to: 'failed',
    cause: 'recover',
    stopReason: 'interrupted',
    reason,
    patch: { inputRequired: false, pendingInput: null, error: reason },
  };
}
