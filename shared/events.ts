/**
 * The event union: everything that happens in a task, as stored (with a per-task `seq`) and as streamed to
 * every surface. Names are `resource.verb`. `data` is always a plain JSON object.
 */
import { z } from 'zod';

export const usageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheWrite5mTokens: z.number(),
  cacheWrite1hTokens: z.number(),
  cacheReadTokens: z.number(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Every event type and the shape of its `data`. */
export interface EventDataMap {
  'task.created': { title: string; projectId: string };
  'status.changed': { from: string | null; to: string; reason?: string };
  'run.started': { runId: string; kind: string; model: string; resumeOf?: string | null };
  'run.session': { sessionId: string; model: string; tools: string[] };
  'run.ended': { runId: string; stopReason: string; costUsd: number; error?: string };
  /** A slice of text or thinking as the model streams it (coalesced), before its block completes. */
  'agent.delta': { messageId: string; index: number; kind: 'text' | 'thinking'; text: string };
  'agent.text': { messageId: string; text: string; subagent?: string | null };
  'agent.thinking': { messageId: string; text: string; subagent?: string | null };
  'tool.called': { toolUseId: string; name: string; input: unknown; subagent?: string | null };
  'tool.result': { toolUseId: string; output: string; isError: boolean; truncated?: boolean };
  'cost.updated': { taskCostUsd: number; runCostUsd: number; final: boolean };
  'cost.warning': { model: string; message: string };
  'run.error': { message: string; stack?: string; retryable: boolean };
  'git.committed': { sha: string; message: string; files: string[] };
  'input.requested': {
    requestId: string;
    kind: 'question' | 'approval';
    toolName?: string;
    toolInput?: unknown;
    questions?: Question[];
    reason?: string;
  };
  'input.resolved': { requestId: string; kind: 'question' | 'approval'; decision: string; text?: string };
  'task.moved': { from: string; to: string };
  notice: { message: string };
  /** Health of a running task changed (green: events flowing; yellow: slow; red: stuck, dead or looping). */
  'health.changed': { health: 'green' | 'yellow' | 'red'; reason: string | null };
  /** Something a human should hear about on every surface (web toast, Telegram, Discord). */
  notification: {
    kind:
      | 'input_required'
      | 'review'
      | 'failed'
      | 'cost_cap'
      | 'circuit_open'
      | 'health_red'
      | 'done'
      | 'budget_warning';
    title: string;
    reason: string;
    costUsd: number;
  };
  /** One Ralph loop iteration finished (the Loop tab). */
  'loop.iteration': {
    iteration: number;
    filesChanged: string[];
    commits: string[];
    errors: string[];
    costUsd: number;
    exitSignal: boolean;
    status: string | null;
    breaker: 'closed' | 'half_open' | 'open';
    verify?: { command: string; exitCode: number; output: string } | null;
    decision: string;
  };
  /** A formula moved to another step. */
  'step.changed': {
    stepId: string;
    name: string;
    index: number;
    total: number;
    status: 'running' | 'gated' | 'done' | 'failed';
  };
  /** Pushes, rebases, conflicts and pull requests. */
  'git.synced': {
    action: 'fetched' | 'fast_forwarded' | 'pushed' | 'rebased' | 'conflict' | 'pr_opened' | 'pr_updated';
    detail: string;
    files?: string[];
  };
}

export type EventType = keyof EventDataMap;

export interface Question {
  question: string;
  header?: string;
  options: { label: string; description?: string }[];
  multiSelect?: boolean;
}

/** A stored event. */
export type GluonEvent = {
  [K in EventType]: {
    seq: number;
    taskId: string;
    runId: string | null;
    ts: string;
    type: K;
    data: EventDataMap[K];
  };
}[EventType];

/** An event before the store gives it a `seq` and time. */
export type NewEvent = {
  [K in EventType]: { type: K; data: EventDataMap[K]; runId?: string | null };
}[EventType];
