/**
 * What waits for a human while an agent runs: tool calls that need approval (per the task's policy) and
 * questions the agent asks through AskUserQuestion. The agent process waits (bounded by a timeout) while
 * the task shows `inputRequired`; an answer or a decision from any surface lets it go on.
 */
import type { PendingInput } from '../../../shared/api.js';
import { decideApproval } from '../domain/approval-policy.js';
import { answersForAskUserQuestion, questionsFromAskUserQuestion } from '../domain/question.js';
import { newId, nowIso } from '../ids.js';
import type { ToolDecision } from '../runner/agent.js';
import { approvalContext, type AgentGuard } from '../runner/agent-guard.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

interface Waiter {
  pending: PendingInput;
  /** Resolves once the task shows the request as settled. */
  recorded: Promise<void>;
  settle(
    outcome:
      | { kind: 'answer'; text: string }
      | { kind: 'approve' }
      | { kind: 'deny'; reason?: string }
      | { kind: 'timeout' },
  ): void;
}

type ToolRequest = { name: string; input: Record<string, unknown> };

export interface InputDeps {
  /** Shows (or clears, with null) what the task waits for, and emits the matching event. */
  setPending(
    taskId: string,
    pending: PendingInput | null,
    resolved?: { requestId: string; kind: PendingInput['kind']; decision: string; text?: string },
  ): Promise<void>;
  /** A question went unanswered too long: the run should end and wait in review. */
  onQuestionTimeout(taskId: string): void;
  approvalTimeoutMs: number;
  questionTimeoutMs: number;
  /** Gluon's own data and API, which the policy keeps the agent away from (none: only the worktree rules). */
  guard?: AgentGuard;
  log: (msg: string, err?: unknown) => void;
}

export function createInputRequests(deps: InputDeps) {
  const waiters = new Map<string, Waiter[]>();
  // The agent still waits (for an answer by id, or its timeout); the human may not see why.
  const logShowFailure = (taskId: string) => (err: unknown) =>
    deps.log(`could not show what task ${taskId} waits for`, err);

  function first(taskId: string): Waiter | undefined {
    return waiters.get(taskId)?.[0];
  }

  async function wait(
    taskId: string,
    pending: PendingInput,
    timeoutMs: number,
  ): Promise<Parameters<Waiter['settle']>[0]> {
    let recorded: () => void = () => {};
    const recordedPromise = new Promise<void>((r) => (recorded = r));
    const outcome = await new Promise<Parameters<Waiter['settle']>[0]>((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
      const waiter: Waiter = {
        pending,
        recorded: recordedPromise,
        settle: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      const list = waiters.get(taskId) ?? [];
      list.push(waiter);
      waiters.set(taskId, list);
      if (list.length === 1) deps.setPending(taskId, pending).catch(logShowFailure(taskId));
    });
    const list = (waiters.get(taskId) ?? []).filter((w) => w.pending.requestId !== pending.requestId);
    if (list.length) waiters.set(taskId, list);
    else waiters.delete(taskId);
    const decision =
      outcome.kind === 'answer'
        ? 'answered'
        : outcome.kind === 'timeout'
          ? 'timed_out'
          : outcome.kind === 'approve'
            ? 'approved'
            : 'denied';
    const text =
      outcome.kind === 'answer' ? outcome.text : outcome.kind === 'deny' ? outcome.reason : undefined;
    try {
      await deps.setPending(taskId, list[0]?.pending ?? null, {
        requestId: pending.requestId,
        kind: pending.kind,
        decision,
        text,
      });
    } finally {
      recorded();
    }
    return outcome;
  }

  /** AskUserQuestion: waits for an answer; on timeout the run ends and the question stays open. */
  async function askQuestion(task: TaskRecord, req: ToolRequest): Promise<ToolDecision> {
    const questions = questionsFromAskUserQuestion(req.input);
    if (!questions) return { allow: true };
    const pending: PendingInput = {
      requestId: newId(),
      kind: 'question',
      live: true,
      toolName: req.name,
      questions,
      createdAt: nowIso(),
    };
    const outcome = await wait(task.id, pending, deps.questionTimeoutMs);
    if (outcome.kind === 'answer') {
      return {
        allow: true,
        updatedInput: { ...req.input, answers: answersForAskUserQuestion(questions, outcome.text) },
      };
    }
    if (outcome.kind === 'timeout') {
      await deps.setPending(task.id, { ...pending, live: false });
      deps.onQuestionTimeout(task.id);
    }
    return {
      allow: false,
      interrupt: true,
      message:
        'The user has not answered yet. Stop here; the question stays open and you will be resumed with the answer.',
    };
  }

  /** Any other tool: the task's approval policy allows, denies, or asks a human (unanswered: denied). */
  async function askApproval(task: TaskRecord, cwd: string, req: ToolRequest): Promise<ToolDecision> {
    const tool = { name: req.name, input: req.input };
    const ctx = deps.guard ? approvalContext(deps.guard, cwd, tool) : { worktreePath: cwd };
    const verdict = decideApproval(task.approval, tool, ctx);
    if (verdict.action === 'allow') return { allow: true };
    if (verdict.action === 'deny')
      return {
        allow: false,
        message: `Not allowed: ${verdict.reason}. Do not try to reach it another way.`,
      };
    const pending: PendingInput = {
      requestId: newId(),
      kind: 'approval',
      live: true,
      toolName: req.name,
      toolInput: req.input,
      reason: verdict.reason,
      createdAt: nowIso(),
    };
    const outcome = await wait(task.id, pending, deps.approvalTimeoutMs);
    if (outcome.kind === 'approve') return { allow: true };
    const why =
      outcome.kind === 'timeout'
        ? 'no one approved it in time'
        : `the user denied it${outcome.kind === 'deny' && outcome.reason ? `: ${outcome.reason}` : ''}`;
    return {
      allow: false,
      message: `Not allowed: ${why}. Do not retry the same call; find another way or stop and explain.`,
    };
  }

  return {
    /**
     * Decides a tool call of a running task: allowed at once, or after a human's word.
     * Rules: AskUserQuestion is a question (waits for an answer; on timeout the run ends and the question
     * stays open); other tools follow the task's approval policy; an unanswered approval is denied.
     */
    decide(task: TaskRecord, cwd: string, req: ToolRequest): Promise<ToolDecision> {
      return req.name === 'AskUserQuestion' ? askQuestion(task, req) : askApproval(task, cwd, req);
    },

    /** The live request a task waits on, if any. */
    pendingFor(taskId: string): PendingInput | undefined {
      return first(taskId)?.pending;
    },

    /**
     * Settles the task's oldest live request of this kind; resolves once the task no longer shows it
     * (false when there was none).
     */
    async settle(
      taskId: string,
      kind: PendingInput['kind'],
      outcome: Parameters<Waiter['settle']>[0],
    ): Promise<boolean> {
      const waiter = waiters.get(taskId)?.find((w) => w.pending.kind === kind);
      if (!waiter) return false;
      waiter.settle(outcome);
      await waiter.recorded;
      return true;
    },

    /** Denies everything a task waits on (its run is ending). */
    dropAll(taskId: string): void {
      for (const w of waiters.get(taskId) ?? []) w.settle({ kind: 'deny', reason: 'the run is stopping' });
    },
  };
}

export type InputRequests = ReturnType<typeof createInputRequests>;
