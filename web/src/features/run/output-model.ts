/**
 * Turns a task's events into the rows of the Output and Messages tabs, incrementally: `update()` reads
 * only the events added since the last call, so streaming stays O(new events) with 100,000 rows.
 * Rules:
 * - A tool call and its result are one row (the result fills the call's row when it arrives).
 * - Streamed deltas build a provisional text/thinking row per message; the complete block replaces it.
 * - Cost updates are not rows (the header shows cost); everything else is.
 * - A failed tool result and a run error are "errors".
 * - Tool summaries, questions and status-like lines are the shared event text (shared/event-text.ts).
 */
import { eventLines, type EventLine, type EventTone } from '../../../../shared/event-text.js';
import type { EventDataMap, GluonEvent } from '../../../../shared/events.js';
import { summarizeToolInput, type ToolTextOptions } from '../../../../shared/tool-text.js';

export type ToolCategory = 'file' | 'bash' | 'other';

export type OutputRow =
  | {
      kind: 'text' | 'thinking';
      key: string;
      seq: number;
      text: string;
      streaming: boolean;
      subagent: string | null;
    }
  | {
      kind: 'tool';
      key: string;
      seq: number;
      name: string;
      category: ToolCategory;
      input: unknown;
      /** The one-line gist of the input (the command, the file, the pattern). */
      summary: string;
      output: string | null;
      isError: boolean;
      truncated: boolean;
      subagent: string | null;
    }
  | { kind: 'error'; key: string; seq: number; message: string; stack: string | null }
  | { kind: 'input'; key: string; seq: number; requested: boolean; lines: EventLine[] }
  | { kind: 'info'; key: string; seq: number; label: string; detail: string; tone: EventTone };

export type OutputFilter = 'all' | 'file' | 'bash' | 'other' | 'errors';

const FILE_TOOLS = new Set([
  'Read',
  'Write',
  'Edit',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'Glob',
  'Grep',
  'LS',
]);
const BASH_TOOLS = new Set(['Bash', 'BashOutput', 'KillShell', 'KillBash']);

export function toolCategory(name: string): ToolCategory {
  if (FILE_TOOLS.has(name)) return 'file';
  if (BASH_TOOLS.has(name)) return 'bash';
  return 'other';
}

/** What a tab shows: an Output filter, or the conversation (Messages). */
export type RowView = OutputFilter | 'messages';

/** Whether a row belongs in a view. The conversation is the text, the tool calls and the human input. */
export function keepRow(row: OutputRow, view: RowView): boolean {
  if (view === 'messages') return row.kind === 'text' || row.kind === 'tool' || row.kind === 'input';
  return matchesFilter(row, view);
}

/** Whether a row passes a filter. */
export function matchesFilter(row: OutputRow, filter: OutputFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'errors':
      return row.kind === 'error' || (row.kind === 'tool' && row.isError);
    case 'file':
    case 'bash':
    case 'other':
      return row.kind === 'tool' && row.category === filter;
  }
}

export class OutputModel {
  readonly rows: OutputRow[] = [];
  /** Run errors and failed tool calls so far (the Errors tab's badge). */
  errorCount = 0;
  private consumed = 0;
  private readonly toolRows = new Map<string, number>();
  /** Provisional delta rows by `${messageId}:${kind}`. */
  private readonly streaming = new Map<string, number>();

  /** `options.worktreePath`: paths inside the task's worktree read relative to it. */
  constructor(private readonly options: ToolTextOptions = {}) {}

  /** Applies the events after the ones already read; returns whether any row changed. */
  update(events: readonly GluonEvent[]): boolean {
    const before = this.rows.length;
    let touched = false;
    for (; this.consumed < events.length; this.consumed += 1)
      touched = this.apply(events[this.consumed]!) || touched;
    return touched || this.rows.length !== before;
  }

  private apply(e: GluonEvent): boolean {
    const key = `e${e.seq}`;
    switch (e.type) {
      case 'agent.delta':
        return this.applyDelta(key, e.seq, e.data);
      case 'agent.text':
      case 'agent.thinking':
        return this.applyBlock(key, e.seq, e.type === 'agent.text' ? 'text' : 'thinking', e.data);
      case 'tool.called':
        return this.applyCall(key, e.seq, e.data);
      case 'tool.result':
        return this.applyResult(key, e.seq, e.data);
      case 'run.error':
        this.errorCount += 1;
        this.rows.push({
          kind: 'error',
          key,
          seq: e.seq,
          message: e.data.message,
          stack: e.data.stack ?? null,
        });
        return true;
      case 'input.requested':
      case 'input.resolved': {
        const lines = eventLines(e, this.options);
        this.rows.push({ kind: 'input', key, seq: e.seq, requested: e.type === 'input.requested', lines });
        return true;
      }
      case 'cost.updated':
        return false;
      case 'task.created':
      case 'status.changed':
      case 'run.started':
      case 'run.session':
      case 'run.ended':
      case 'git.committed':
      case 'task.moved':
      case 'cost.warning':
      case 'notice':
      case 'health.changed':
      case 'notification':
      case 'loop.iteration':
      case 'step.changed':
      case 'git.synced': {
        // Status-like events are one line each: the shared text, labelled by what it is about.
        const [line] = eventLines(e, this.options);
        if (!line) return false;
        this.rows.push({
          kind: 'info',
          key,
          seq: e.seq,
          label: line.tag,
          detail: line.text,
          tone: line.tone,
        });
        return true;
      }
    }
  }

  private applyDelta(key: string, seq: number, d: EventDataMap['agent.delta']): boolean {
    const id = `${d.messageId}:${d.kind}`;
    const at = this.streaming.get(id);
    const row = at === undefined ? undefined : this.rows[at];
    if (row && (row.kind === 'text' || row.kind === 'thinking')) {
      this.rows[at!] = { ...row, text: row.text + d.text };
      return true;
    }
    this.streaming.set(id, this.rows.length);
    this.rows.push({ kind: d.kind, key, seq, text: d.text, streaming: true, subagent: null });
    return true;
  }

  private applyBlock(
    key: string,
    seq: number,
    kind: 'text' | 'thinking',
    d: EventDataMap['agent.text'],
  ): boolean {
    const row = { kind, key, seq, text: d.text, streaming: false, subagent: d.subagent ?? null } as const;
    const id = `${d.messageId}:${kind}`;
    const at = this.streaming.get(id);
    this.streaming.delete(id);
    if (at !== undefined) this.rows[at] = { ...row, key: this.rows[at]!.key };
    else this.rows.push(row);
    return true;
  }

  private applyCall(key: string, seq: number, d: EventDataMap['tool.called']): boolean {
    this.toolRows.set(d.toolUseId, this.rows.length);
    this.rows.push({
      kind: 'tool',
      key,
      seq,
      name: d.name,
      category: toolCategory(d.name),
      input: d.input,
      summary: summarizeToolInput(d.name, d.input, { ...this.options, max: 300 }),
      output: null,
      isError: false,
      truncated: false,
      subagent: d.subagent ?? null,
    });
    return true;
  }

  private applyResult(key: string, seq: number, d: EventDataMap['tool.result']): boolean {
    const at = this.toolRows.get(d.toolUseId);
    const row = at === undefined ? undefined : this.rows[at];
    const patch = { output: d.output, isError: d.isError, truncated: d.truncated ?? false };
    if (d.isError) this.errorCount += 1;
    if (row?.kind === 'tool') this.rows[at!] = { ...row, ...patch };
    else
      this.rows.push({
        kind: 'tool',
        key,
        seq,
        name: 'tool',
        category: 'other',
        input: null,
        summary: '',
        subagent: null,
        ...patch,
      });
    return true;
  }
}
