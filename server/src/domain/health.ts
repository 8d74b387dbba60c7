/**
 * The health of a running task: `green` while events flow, `yellow` when the agent has gone quiet, `red`
 * when it is stuck (long silence), gone (its process died) or looping (the same tool call with the same
 * input again and again). Times are epoch milliseconds passed in; thresholds come from configuration.
 */
import type { Health } from '../../../shared/api.js';

export interface HealthThresholds {
  /** Silence that turns a task yellow (default 2 minutes). */
  yellowAfterMs: number;
  /** Silence that turns it red (default 10 minutes). */
  redAfterMs: number;
  /** The same tool call with identical input this many times in a row is a loop (default 3). */
  repeatLimit: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  yellowAfterMs: 2 * 60_000,
  redAfterMs: 10 * 60_000,
  repeatLimit: 3,
};

/** One tool call the agent made, as in a `tool.called` event. */
export interface ToolCallFact {
  name: string;
  input: unknown;
}

export interface HealthInput {
  /** When the run's last event arrived (its start, before any). */
  lastEventAt: number;
  now: number;
  /** Whether the agent's process is still there. */
  processAlive: boolean;
  /** The run's latest tool calls, oldest first (the last `repeatLimit` are enough). */
  recentToolCalls: ToolCallFact[];
  /** Set while a question or an approval waits for a human: the agent is silent by design. */
  waitingForInput?: boolean;
  thresholds?: Partial<HealthThresholds>;
}

export interface HealthAssessment {
  health: Health;
  /** Why, in plain words; null when green. */
  reason: string | null;
}

/**
 * Assesses a running task.
 * - red when the process is gone;
 * - red when the last `repeatLimit` tool calls are the same tool with identical input (key order in
 *   the input does not matter);
 * - while waiting for a human, silence does not count: green;
 * - red after `redAfterMs` without events, yellow after `yellowAfterMs`, else green.
 */
export function assessHealth(input: HealthInput): HealthAssessment {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...input.thresholds };
  if (!input.processAlive) return { health: 'red', reason: 'the agent process is gone' };
  const loop = findRepeatedCall(input.recentToolCalls, t.repeatLimit);
  if (loop !== null) {
    return { health: 'red', reason: `looping: ${describeCall(loop)} ${t.repeatLimit} times in a row` };
  }
  if (input.waitingForInput) return { health: 'green', reason: null };
  const silent = Math.max(0, input.now - input.lastEventAt);
  if (silent >= t.redAfterMs) return { health: 'red', reason: `no events for ${minutes(silent)}` };
  if (silent >= t.yellowAfterMs) return { health: 'yellow', reason: `no events for ${minutes(silent)}` };
  return { health: 'green', reason: null };
}

/** The call repeated `limit` times at the end of `calls`, or null. A limit below 2 never matches. */
export function findRepeatedCall(calls: ToolCallFact[], limit: number): ToolCallFact | null {
  if (limit < 2 || calls.length < limit) return null;
  const tail = calls.slice(-limit);
  const key = toolCallKey(tail[0] as ToolCallFact);
  return tail.every((c) => toolCallKey(c) === key) ? (tail[tail.length - 1] as ToolCallFact) : null;
}

/** A stable text form of a call: its name and its input as JSON with object keys sorted. */
export function toolCallKey(call: ToolCallFact): string {
  return `${call.name}\u0000${stableJson(call.input)}`;
}

/**
 * Whether a change of health deserves a notification: only turning red (from anything else); staying
 * red, recovering or going yellow does not.
 */
export function shouldNotifyHealth(previous: Health | null, next: Health): boolean {
  return next === 'red' && previous !== 'red';
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `Bash \`npm test\``, `Read src/a.ts`, else the tool's name. */
function describeCall(call: ToolCallFact): string {
  const input =
    typeof call.input === 'object' && call.input !== null ? (call.input as Record<string, unknown>) : {};
  const detail = [input.command, input.file_path, input.pattern, input.url].find(
    (v) => typeof v === 'string',
  );
  return typeof detail === 'string'
    ? `${call.name} \`${detail.slice(0, 80)}\``
    : `the same ${call.name} call`;
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.floor(ms / 1000)} s`;
}
