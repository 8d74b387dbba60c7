/**
 * Turns a task's events into the rows of the Output and Messages tabs, incrementally: `update()` reads
 * only the events added since the last call, so streaming stays O(new events) with 100,000 rows.
 * Rules:
 * - A tool call and its result are one row (the result fills the call's row when it arrives).
 * - Streamed deltas build a provisional text/thinking row per message; the complete block replaces it.
 * - Cost updates are not rows (the header shows cost); everything else is.
 * - A failed tool result and a run error are "errors".
 */
import type { GluonEvent } from '../../../../shared/events.js';

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
      output: string | null;
      isError: boolean;
      truncated: boolean;
      subagent: string | null;
    }
  | { kind: 'error'; key: string; seq: number; message: string; stack: string | null }
  | {
      kind: 'input';
      key: string;
      seq: number;
      event: Extract<GluonEvent, { type: 'input.requested' | 'input.resolved' }>;
    }
  | {
      kind: 'info';
      key: string;
      seq: number;
      label: string;
      detail: string;
      tone: 'neutral' | 'good' | 'warn';
    };

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
      case 'agent.delta': {
        const id = `${e.data.messageId}:${e.data.kind}`;
        const at = this.streaming.get(id);
        const row = at === undefined ? undefined : this.rows[at];
        if (row && (row.kind === 'text' || row.kind === 'thinking')) {
          this.rows[at!] = { ...row, text: row.text + e.data.text };
        } else {
          this.streaming.set(id, this.rows.length);
          this.rows.push({
            kind: e.data.kind,
            key,
            seq: e.seq,
            text: e.data.text,
            streaming: true,
            subagent: null,
          });
        }
        return true;
      }
      case 'agent.text':
      case 'agent.thinking': {
        const kind = e.type === 'agent.text' ? 'text' : 'thinking';
        const row = {
          kind,
          key,
          seq: e.seq,
          text: e.data.text,
          streaming: false,
          subagent: e.data.subagent ?? null,
        } as const;
        const id = `${e.data.messageId}:${kind}`;
        const at = this.streaming.get(id);
        this.streaming.delete(id);
        if (at !== undefined) this.rows[at] = { ...row, key: this.rows[at]!.key };
        else this.rows.push(row);
        return true;
      }
      case 'tool.called':
        this.toolRows.set(e.data.toolUseId, this.rows.length);
        this.rows.push({
          kind: 'tool',
          key,
          seq: e.seq,
          name: e.data.name,
          category: toolCategory(e.data.name),
          input: e.data.input,
          output: null,
          isError: false,
          truncated: false,
          subagent: e.data.subagent ?? null,
        });
        return true;
      case 'tool.result': {
        const at = this.toolRows.get(e.data.toolUseId);
        const row = at === undefined ? undefined : this.rows[at];
        const patch = {
          output: e.data.output,
          isError: e.data.isError,
          truncated: e.data.truncated ?? false,
        };
        if (e.data.isError) this.errorCount += 1;
        if (row?.kind === 'tool') this.rows[at!] = { ...row, ...patch };
        else
          this.rows.push({
            kind: 'tool',
            key,
            seq: e.seq,
            name: 'tool',
            category: 'other',
            input: null,
            subagent: null,
            ...patch,
          });
        return true;
      }
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
      case 'input.resolved':
        this.rows.push({ kind: 'input', key, seq: e.seq, event: e });
        return true;
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
      case 'git.synced':
        break;
    }
    // Status-like events, and event types newer than this client, are one line each.
    const info = describe(e);
    if (!info) return false;
    this.rows.push({ kind: 'info', key, seq: e.seq, ...info });
    return true;
  }
}

/** The one-line description of a status-like event, or null for events that are not shown. */
export function describe(
  e: GluonEvent,
): { label: string; detail: string; tone: 'neutral' | 'good' | 'warn' } | null {
  switch (e.type) {
    case 'task.created':
      return { label: 'created', detail: e.data.title, tone: 'neutral' };
    case 'status.changed':
      return {
        label: `→ ${e.data.to}`,
        detail: e.data.reason ?? '',
        tone: e.data.to === 'failed' ? 'warn' : 'neutral',
      };
    case 'run.started':
      return { label: 'run started', detail: `${e.data.kind} · ${e.data.model}`, tone: 'neutral' };
    case 'run.session':
      return { label: 'session', detail: `${e.data.model} · ${e.data.tools.length} tools`, tone: 'neutral' };
    case 'run.ended':
      return {
        label: 'run ended',
        detail: `${e.data.stopReason} · $${e.data.costUsd.toFixed(4)}${e.data.error ? ` · ${e.data.error}` : ''}`,
        tone: e.data.stopReason === 'completed' ? 'good' : 'warn',
      };
    case 'git.committed':
      return {
        label: 'commit',
        detail: `${e.data.sha.slice(0, 8)} ${e.data.message} (${e.data.files.length} files)`,
        tone: 'good',
      };
    case 'task.moved':
      return { label: 'moved', detail: `${e.data.from} → ${e.data.to}`, tone: 'neutral' };
    case 'cost.warning':
      return { label: 'cost', detail: e.data.message, tone: 'warn' };
    case 'notice':
      return { label: 'notice', detail: e.data.message, tone: 'neutral' };
    case 'health.changed':
      return {
        label: `health ${e.data.health}`,
        detail: e.data.reason ?? '',
        tone: e.data.health === 'green' ? 'good' : 'warn',
      };
    case 'notification':
      return { label: e.data.kind.replace('_', ' '), detail: e.data.reason, tone: 'warn' };
    case 'loop.iteration':
      return {
        label: `iteration ${e.data.iteration}`,
        detail: `${e.data.decision} · ${e.data.filesChanged.length} files · breaker ${e.data.breaker} · $${e.data.costUsd.toFixed(4)}`,
        tone: e.data.errors.length ? 'warn' : 'neutral',
      };
    case 'step.changed':
      return {
        label: `step ${e.data.index}/${e.data.total}`,
        detail: `${e.data.name} · ${e.data.status}`,
        tone: e.data.status === 'failed' ? 'warn' : 'neutral',
      };
    case 'git.synced':
      return {
        label: e.data.action.replace('_', ' '),
        detail: `${e.data.detail}${e.data.files?.length ? ` (${e.data.files.join(', ')})` : ''}`,
        tone: e.data.action === 'conflict' ? 'warn' : 'good',
      };
    case 'agent.delta':
    case 'agent.text':
    case 'agent.thinking':
    case 'tool.called':
    case 'tool.result':
    case 'cost.updated':
    case 'run.error':
    case 'input.requested':
    case 'input.resolved':
      return null;
  }
  return describeExtra(e as { type: string; data: unknown });
}

/** Events newer than this client's contract (loop iterations, formula steps) are shown by name. */
function describeExtra(e: {
  type: string;
  data: unknown;
}): { label: string; detail: string; tone: 'neutral' } | null {
  if (e.type === 'agent.delta' || e.type === 'cost.updated') return null;
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
  const detail = Object.entries(data)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
  return { label: e.type, detail, tone: 'neutral' };
}
