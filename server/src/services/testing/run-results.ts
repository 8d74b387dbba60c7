/**
 * Test data for what a finished run reports: an agent outcome (a turn that finished normally, unless
 * said otherwise) and the run result a mode driver decides on. Not a product module.
 */
import type { AgentOutcome } from '../../runner/agent.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { RunResult } from '../modes/mode-driver.js';

export function buildOutcome(over: Partial<AgentOutcome> = {}): AgentOutcome {
  return {
    ok: true,
    stoppedBy: null,
    sessionId: 'session-1',
    finalText: 'I made the change and the tests pass.',
    costUsd: 0.01,
    sessionTotalUsd: 0.01,
    byModel: [],
    reconciled: true,
    error: null,
    permissionDenials: 0,
    ...over,
  };
}

/** A failed turn: `ok` false with the error. */
export const failedOutcome = (message: string, retryable = false) =>
  buildOutcome({ ok: false, error: { message, retryable } });

export function buildRunResult(task: TaskRecord, over: Partial<Omit<RunResult, 'task'>> = {}): RunResult {
  return {
    task,
    outcome: buildOutcome(),
    cwd: process.cwd(),
    runId: 'run-1',
    progress: { commits: [], files: [] },
    toolCalls: [],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    ...over,
  };
}
