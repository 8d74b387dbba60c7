/**
 * Task events as compact chat lines: one line per tool call, errors and results folded to a line, the
 * agent's text in full (it is what the agent says), status changes, questions and approvals. Cost ticks,
 * deltas and session bookkeeping are left out: the log header shows the cost.
 */
import type { GluonEvent } from '../../../shared/events.js';
import { oneLine, truncate, usd } from './text.js';

/** No single line is longer than this, so one line can never break a message's size limit. */
export const MAX_LINE = 300;

const SUMMARY_KEYS = [
  'command',
  'file_path',
  'notebook_path',
  'path',
  'pattern',
  'url',
  'query',
  'description',
];

/** A short summary of a tool's input: the command, the file, the pattern… */
export function summarizeTool(name: string, input: unknown, worktreePath?: string | null): string {
  if (input === null || typeof input !== 'object') return input === undefined ? '' : oneLine(String(input));
  const record = input as Record<string, unknown>;
  if (name === 'TodoWrite' && Array.isArray(record.todos)) return `${record.todos.length} todos`;
  for (const key of SUMMARY_KEYS) {
    const value = record[key];
    if (typeof value !== 'string' || value === '') continue;
    const shown = worktreePath ? value.split(`${worktreePath}/`).join('') : value;
    return truncate(oneLine(shown), 160);
  }
  const json = JSON.stringify(input);
  return json === '{}' ? '' : truncate(json, 160);
}

/** The lines that show one event in a chat log (none for events not worth a line). */
export function eventLines(event: GluonEvent, worktreePath?: string | null): string[] {
  return raw(event, worktreePath).map((line) => truncate(line, MAX_LINE));
}

function raw(event: GluonEvent, worktreePath?: string | null): string[] {
  switch (event.type) {
    case 'tool.called': {
      const summary = summarizeTool(event.data.name, event.data.input, worktreePath);
      return [`🔧 ${event.data.name}${summary ? `: ${summary}` : ''}`];
    }
    case 'tool.result': {
      const output = worktreePath ? event.data.output.split(`${worktreePath}/`).join('') : event.data.output;
      const text = output.replace(/\s+$/, '');
      const lines = text ? text.split(/\r?\n/) : [];
      const first = oneLine(lines.find((l) => l.trim() !== '') ?? '');
      if (event.data.isError) return [`   ✗ ${truncate(first || 'error', 160)}`];
      if (lines.length === 0) return [];
      const more = lines.length > 1 ? ` (${lines.length} lines)` : '';
      return [`   ↳ ${truncate(first, 120)}${more}`];
    }
    case 'agent.text':
      return event.data.text
        .replace(/\s+$/, '')
        .split(/\r?\n/)
        .map((line, i) => (i === 0 ? `💬 ${line}` : `   ${line}`));
    case 'status.changed':
      return [`▶ ${event.data.to}${event.data.reason ? ` (${event.data.reason})` : ''}`];
    case 'input.requested': {
      if (event.data.kind === 'approval') {
        const tool = event.data.toolName ?? 'a tool';
        const summary = summarizeTool(tool, event.data.toolInput, worktreePath);
        return [`✋ approval needed: ${tool}${summary ? `: ${summary}` : ''}`];
      }
      const questions = (event.data.questions ?? []).map((q) => q.question).filter(Boolean);
      return [`❓ ${questions.length ? questions.join(' / ') : 'the agent waits for an answer'}`];
    }
    case 'input.resolved': {
      const text = event.data.text ? `: ${truncate(oneLine(event.data.text), 160)}` : '';
      return [`   ${event.data.kind} ${event.data.decision}${text}`];
    }
    case 'git.committed': {
      const files = event.data.files.length === 1 ? '1 file' : `${event.data.files.length} files`;
      return [`📦 commit ${event.data.sha.slice(0, 8)} (${files})`];
    }
    case 'run.error':
      return [`⚠️ ${oneLine(event.data.message)}`];
    case 'run.ended':
      return [`⏹ run ended: ${event.data.stopReason} · ${usd(event.data.costUsd)}`];
    case 'cost.warning':
      return [`⚠️ ${event.data.message}`];
    case 'notice':
      return [`ℹ️ ${event.data.message}`];
    case 'task.moved':
      return [`▶ moved ${event.data.from} → ${event.data.to}`];
    case 'health.changed':
      return [`🩺 health ${event.data.health}${event.data.reason ? ` — ${oneLine(event.data.reason)}` : ''}`];
    case 'loop.iteration': {
      const d = event.data;
      const files = d.filesChanged.length === 1 ? '1 file' : `${d.filesChanged.length} files`;
      return [
        `🔁 iteration ${d.iteration}: ${oneLine(d.decision)} · ${files} · ${usd(d.costUsd)} · breaker ${d.breaker}`,
      ];
    }
    case 'step.changed':
      return [`🪜 step ${event.data.index}/${event.data.total} ${event.data.name}: ${event.data.status}`];
    case 'git.synced':
      return [`🔀 ${event.data.action.replace(/_/g, ' ')}: ${oneLine(event.data.detail)}`];
    case 'notification':
    case 'task.created':
    case 'run.started':
    case 'run.session':
    case 'agent.delta':
    case 'agent.thinking':
    case 'cost.updated':
      return [];
  }
}
