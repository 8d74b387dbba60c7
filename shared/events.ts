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
