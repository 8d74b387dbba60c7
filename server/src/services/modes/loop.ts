/**
 * The Ralph loop: fresh sessions, one per iteration, each carrying the objective, a short account of the
 * iterations before it and the status block protocol, until the work is really done — inside hard limits
 * (iterations, money, calls per hour, a pause between iterations) and a circuit breaker.
 */
import { initialBreaker, nextBreaker, type Breaker } from '../../domain/circuit-breaker.js';
import {
  checklistFromTodos,
  decideCompletion,
  shouldRunVerify,
  type CompletionDecision,
  type VerifyResult,
} from '../../domain/completion.js';
import { checkLimits, resolveLoopLimits, type LoopLimits } from '../../domain/loop-limits.js';
import { buildLoopPrompt, type IterationRecap } from '../../domain/loop-prompt.js';
import { parseStatusBlock, stripStatusBlocks, type StatusBlock } from '../../domain/status-block.js';
import type { LoopState } from '../../domain/task-mode.js';
import { runVerifyCommand } from '../../runner/verify-command.js';
import type { NewEvent } from '../../../../shared/events.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { EventLog } from '../event-log.js';
import type { Decision, ModeDriver, RunResult } from './mode-driver.js';

const MAX_RECAPS = 50;

/** The state of a new loop. */
export function newLoopState(limits: Partial<LoopLimits>, verify: string | null): LoopState {
  return {
    mode: 'loop',
    iteration: 0,
    startedAtIteration: 0,
    startedAtCostUsd: 0,
    limits: resolveLoopLimits(limits),
    verify,
    breaker: initialBreaker(),
    callStarts: [],
    lastEndedAt: null,
    recaps: [],
    feedback: null,
  };
}

const stateOf = (task: TaskRecord): LoopState => {
  if (task.modeState?.mode !== 'loop') throw new Error(`task ${task.id} has no loop state`);
  return task.modeState;
};

export function createLoopDriver(deps: { events: EventLog; verifyTimeoutMs: number }): ModeDriver {
  return {
    async nextRun(task, now) {
      const state = stateOf(task);
      const check = checkLimits(
        state.limits,
        {
          iterations: state.iteration - state.startedAtIteration,
          costUsd: task.costUsd - state.startedAtCostUsd,
          callStarts: state.callStarts,
          lastEndedAt: state.lastEndedAt,
        },
        now,
      );
      if ('stop' in check) {
        const lastRecap = state.recaps.at(-1);
        const stopReason =
          check.stop === 'max_iterations' && lastRecap?.verify === 'failed' ? 'verify_failed' : check.stop;
        return {
          kind: 'settle',
          settle: {
            to: 'review',
            stopReason,
            reason: check.detail,
            notify: check.stop === 'cost_cap' ? 'cost_cap' : 'review',
          },
        };
      }
      if ('waitMs' in check) return { kind: 'wait', ms: check.waitMs, note: check.detail };
      const iteration = state.iteration + 1;
      return {
        kind: 'run',
        spec: {
          prompt: buildLoopPrompt({
            objective: task.prompt,
            iteration,
            maxIterations: state.limits.maxIterations,
            previous: state.recaps,
            feedback: state.feedback,
          }),
          model: task.model,
          resumeSessionId: null,
          planMode: false,
          kind: 'iteration',
          label: `Iteration ${iteration}`,
          modeState: {
            ...state,
            iteration,
            callStarts: [...state.callStarts.filter((t) => now - t < 3_600_000), now],
            feedback: null,
          },
        },
      };
    },

    /**
     * Rules, after each iteration: verify runs only on a fresh done claim; the completion detector decides
     * `done` (claim + corroboration, or a passing verify); the breaker takes the iteration's progress,
     * error and denials; done → review `completed`; breaker open → review `circuit_open`; otherwise the
     * loop goes on (limits and the pause are checked before the next iteration starts).
     */
    async afterRun(result, now): Promise<Decision> {
      const state = stateOf(result.task);
      const judged = await judgeIteration(state, result, deps.verifyTimeoutMs);
      const next: LoopState = {
        ...state,
        breaker: judged.breaker,
        lastEndedAt: now,
        recaps: [...state.recaps, judged.recap].slice(-MAX_RECAPS),
        feedback: judged.completion.feedback ?? null,
      };
      const outcome = judged.completion.done
        ? 'completed'
        : judged.breaker.state === 'open'
          ? 'circuit_open'
          : 'continue';
      await deps.events.emit(result.task.id, iterationEvent(state, result, judged, outcome));
      const patch = { modeState: next, iterations: state.iteration };
      if (outcome === 'continue') return { kind: 'continue', patch };
      const reason = outcome === 'completed' ? judged.completion.detail : judged.breaker.reason;
      const notify = outcome === 'completed' ? 'review' : 'circuit_open';
      return { kind: 'settle', to: 'review', stopReason: outcome, reason, notify, patch };
    },

    /** Feedback restarts the loop: its limits count again from here, the breaker closes, the words lead. */
    resume(task, text) {
      const state = stateOf(task);
      return {
        prompt: text,
        modeState: {
          ...state,
          startedAtIteration: state.iteration,
          startedAtCostUsd: task.costUsd,
          breaker: initialBreaker(),
          feedback: `The user says: ${text}`,
        },
      };
    },
  };
}

/** What one iteration amounted to: the verify result, the completion verdict, the breaker, the recap. */
interface Judged {
  error: string | null;
  verify: VerifyResult | null;
  completion: CompletionDecision;
  breaker: Breaker;
  block: StatusBlock | null;
  recap: IterationRecap;
}

async function judgeIteration(state: LoopState, result: RunResult, verifyTimeoutMs: number): Promise<Judged> {
  const text = result.outcome.finalText ?? '';
  const output = text ? { iteration: state.iteration, text } : null;
  let verify: VerifyResult | null = null;
  if (state.verify && shouldRunVerify({ iteration: state.iteration, output })) {
    verify = await runVerifyCommand(state.verify, result.cwd, result.env, verifyTimeoutMs);
  }
  const todos = [...result.toolCalls].reverse().find((c) => c.name === 'TodoWrite');
  const completion = decideCompletion({
    iteration: state.iteration,
    output,
    verify: state.verify ? { command: state.verify, result: verify } : null,
    checklist: todos ? checklistFromTodos(todos.input) : null,
  });
  const error = result.outcome.error?.message ?? null;
  const breaker = nextBreaker(state.breaker, {
    filesChanged: result.progress.files.length,
    commits: result.progress.commits.length,
    error,
    permissionDenials: result.outcome.permissionDenials,
  });
  const block = parseStatusBlock(text);
  const recap: IterationRecap = {
    iteration: state.iteration,
    summary: text ? stripStatusBlocks(text).trim().slice(0, 2000) : null,
    filesChanged: result.progress.files.length,
    commits: result.progress.commits.length,
    error,
    testsStatus: block?.testsStatus ?? null,
    verify: verify ? (verify.exitCode === 0 ? 'passed' : 'failed') : null,
  };
  return { error, verify, completion, breaker, block, recap };
}

/** The `loop.iteration` event: what the iteration did and what the loop decided. */
function iterationEvent(state: LoopState, result: RunResult, judged: Judged, outcome: string): NewEvent {
  const { verify, breaker, block, error, completion } = judged;
  return {
    type: 'loop.iteration',
    runId: result.runId,
    data: {
      iteration: state.iteration,
      filesChanged: result.progress.files,
      commits: result.progress.commits,
      errors: error ? [error] : [],
      costUsd: result.outcome.costUsd,
      exitSignal: block?.exitSignal ?? false,
      status: block?.status ?? null,
      breaker: breaker.state,
      verify: verify
        ? { command: state.verify!, exitCode: verify.exitCode ?? -1, output: verify.output.slice(-4000) }
        : null,
      decision: `${outcome}: ${completion.detail}${breaker.state !== 'closed' ? ` (breaker ${breaker.state}: ${breaker.reason})` : ''}`,
    },
  };
}
