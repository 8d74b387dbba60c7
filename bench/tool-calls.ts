/**
 * Where a run's time goes, tool call by tool call: how long a call takes from the agent's request to its
 * result (for Gluon this holds the approval round trip every call makes to the server), and how long the
 * model's turn from a result to the next request takes (the API's answer and Claude Code's own work, the
 * same under Gluon as raw). Read from raw Claude Code's stream-json lines as the bench receives them, and
 * from the events Gluon stored for a task (their `ts`, set when the server heard the agent).
 */
import type { GluonEvent } from '../shared/events.js';
import { median } from './stats.js';

/** A tool call asked for or answered, at `at` ms (any clock, the same for all marks of one run). */
export interface ToolMark {
  at: number;
  kind: 'call' | 'result';
  id: string;
}

type Block = { type?: unknown; id?: unknown; tool_use_id?: unknown };

/** The marks of one stream-json line of Claude Code: its `tool_use` and `tool_result` blocks. */
export function marksOfLine(line: string, at: number): ToolMark[] {
  let message: { type?: unknown; message?: { content?: unknown } };
  try {
    message = JSON.parse(line) as typeof message;
  } catch {
    return [];
  }
  const content = message.message?.content;
  if (!Array.isArray(content)) return [];
  const marks: ToolMark[] = [];
  for (const block of content as Block[]) {
    if (message.type === 'assistant' && block.type === 'tool_use' && typeof block.id === 'string')
      marks.push({ at, kind: 'call', id: block.id });
    if (message.type === 'user' && block.type === 'tool_result' && typeof block.tool_use_id === 'string')
      marks.push({ at, kind: 'result', id: block.tool_use_id });
  }
  return marks;
}

/** The marks of a task's stored events: `tool.called` and `tool.result`, at their `ts`. */
export function marksOfEvents(events: readonly GluonEvent[]): ToolMark[] {
  const marks: ToolMark[] = [];
  for (const e of events) {
    if (e.type === 'tool.called') marks.push({ at: Date.parse(e.ts), kind: 'call', id: e.data.toolUseId });
    if (e.type === 'tool.result') marks.push({ at: Date.parse(e.ts), kind: 'result', id: e.data.toolUseId });
  }
  return marks;
}

/**
 * Medians of one run's marks: `call`, from a request to its result; `turn`, from a result to the next
 * request (the model's turn). NaN where the run had none.
 */
export function toolCallTimes(marks: readonly ToolMark[]): { call: number; turn: number } {
  const asked = new Map<string, number>();
  const calls: number[] = [];
  const turns: number[] = [];
  let lastResult: number | null = null;
  for (const m of [...marks].sort((a, b) => a.at - b.at)) {
    if (m.kind === 'call') {
      if (!asked.has(m.id)) asked.set(m.id, m.at);
      if (lastResult !== null) turns.push(m.at - lastResult);
      lastResult = null;
      continue;
    }
    const at = asked.get(m.id);
    if (at === undefined) continue;
    asked.delete(m.id);
    calls.push(m.at - at);
    lastResult = m.at;
  }
  return { call: median(calls), turn: median(turns) };
}
