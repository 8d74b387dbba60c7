/**
 * How a Codex run ends before it starts (a refusal) and after (its outcome): what Gluon's run lifecycle
 * reads from it.
 */
import { isRetryableError } from './agent.js';
import type { AgentHooks, AgentOutcome, AgentRunRequest, StopCause } from './agent.js';
import { isCodexThreadId } from './codex-config.js';
import type { CodexCost } from './codex-cost.js';
import type { CodexEventMapper } from './codex-events.js';
import type { ProcessMark } from './process-tree.js';

/**
 * Why a run cannot start, or null.
 * Rules: plan mode and any approval policy but `auto` are refused (nothing could hold them); a session
 * id that is not a Codex thread id is refused (it would become an argument).
 */
export function refusal(req: AgentRunRequest): string | null {
  if (req.planMode) return 'Codex has no plan mode: codex exec cannot hold a plan for approval';
  if (req.approval && req.approval !== 'auto')
    return `Codex cannot wait for approval, so the ${req.approval} policy cannot hold; the run was not started`;
  if (req.resumeSessionId && !isCodexThreadId(req.resumeSessionId))
    return `cannot resume: ${req.resumeSessionId} is not a Codex thread id`;
  return null;
}

export interface RunState {
  pid: number | null;
  /** The agent's descendants as last seen (its commands run in sessions of their own). */
  tree: ProcessMark[];
  stoppedBy: StopCause | null;
  exited: boolean;
  killing: Promise<void> | null;
}

export interface Ending {
  mapper?: CodexEventMapper;
  cost?: CodexCost;
  spawnError?: Error | null;
  code?: number | null;
  stderrTail?: string;
  hooks?: AgentHooks;
  error?: AgentOutcome['error'];
}

/**
 * How the run ended.
 * Rules: a stop from outside is not an error; a process that could not start, a failed turn, or an exit
 * without a completed turn is (retryable when its words say overload, rate limit or network); the error's
 * text is the turn's failure, else Codex's last error event, else its stderr, else its exit code.
 */
export function outcome(req: AgentRunRequest, state: RunState, e: Ending): AgentOutcome {
  const m = e.mapper;
  let error = state.stoppedBy ? null : (e.error ?? null);
  if (!state.stoppedBy && !error && m) {
    const finished = m.usage !== null && !m.failure;
    const lastWords = m.takePendingError() ?? e.stderrTail?.trim().split('\n').slice(-3).join(' ') ?? '';
    const message = e.spawnError
      ? `could not start codex: ${e.spawnError.message}`
      : (m.failure ?? (finished ? null : lastWords || `codex exited with code ${e.code ?? 'unknown'}`));
    if (message)
      error = { message: message.slice(0, 2000), retryable: !e.spawnError && isRetryableError(message) };
  }
  for (const notice of m?.flushErrors() ?? []) e.hooks?.onEvent(notice);
  const final = e.cost?.final() ?? { costUsd: 0, byModel: [], sessionTotalUsd: null };
  return {
    ok: !state.stoppedBy && !error,
    stoppedBy: state.stoppedBy,
    sessionId: m?.threadId ?? req.resumeSessionId ?? null,
    finalText: m?.lastText ?? null,
    costUsd: final.costUsd,
    sessionTotalUsd: final.sessionTotalUsd,
    byModel: final.byModel,
    reconciled: m?.usage != null,
    error,
    permissionDenials: m?.declined ?? 0,
  };
}
