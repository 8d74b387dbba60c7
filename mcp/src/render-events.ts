/**
 * Task events as short text lines for an agent reading a task's history: what the agent said and did,
 * tool results folded to one line, status changes, commits, questions and approvals. Streaming slices
 * (`agent.delta`) and running cost ticks are left out: the completed blocks and the final cost say it all.
 */
import type { EventDataMap, EventType, GluonEvent } from '../../shared/events.js';
import { clip, oneLine, usd } from './text.js';

const TEXT_MAX = 1500;
const LINE_MAX = 240;

const line = (text: string) => clip(oneLine(text), LINE_MAX);
const by = (subagent: string | null | undefined) => (subagent ? `(${subagent}) ` : '');

/** How each event type reads (null: not shown); a mapped type, so a new event type needs its entry. */
const RENDERERS: { [K in EventType]: (d: EventDataMap[K]) => string | null } = {
  'agent.delta': () => null,
  'agent.text': (d) => `${by(d.subagent)}${clip(d.text.trim(), TEXT_MAX)}`,
  'agent.thinking': (d) => `${by(d.subagent)}[thinking] ${line(d.text)}`,
  'tool.called': (d) => `${by(d.subagent)}[tool] ${d.name}: ${line(inputText(d.input))}`,
  'tool.result': (d) => {
    const count = d.output.trim().split('\n').length;
    const more = count > 1 ? ` (${count} lines)` : '';
    return `  ${d.isError ? '[tool error]' : '[result]'} ${line(d.output) || '(no output)'}${more}`;
  },
  'cost.updated': (d) => (d.final ? `[cost] task total ${usd(d.taskCostUsd)}` : null),
  'cost.warning': (d) => `[cost warning] ${d.message}`,
  'status.changed': (d) => `[status] ${d.from ?? '—'} → ${d.to}${d.reason ? ` (${d.reason})` : ''}`,
  'task.moved': (d) => `[moved] ${d.from} → ${d.to}`,
  'task.created': (d) => `[task] created: ${d.title}`,
  'run.started': (d) => `[run] ${d.kind} started with ${d.model}`,
  'run.session': (d) => `[session] ${d.sessionId}`,
  'run.ended': (d) =>
    `[run] ended: ${d.stopReason} · ${usd(d.costUsd)}${d.error ? ` — ${line(d.error)}` : ''}`,
  'run.error': (d) => `[error] ${line(d.message)}${d.retryable ? ' (will retry)' : ''}`,
  'git.committed': (d) =>
    `[commit] ${d.sha.slice(0, 8)} ${clip(oneLine(d.message), 120)} (${d.files.length} files)`,
  'git.synced': (d) => `[git] ${d.action}: ${d.detail}${d.files?.length ? ` (${d.files.join(', ')})` : ''}`,
  'input.requested': (d) =>
    d.kind === 'approval'
      ? `[approval requested] ${d.toolName ?? 'a tool'}: ${line(inputText(d.toolInput))}`
      : `[question] ${line((d.questions ?? []).map((q) => q.question).join(' / ') || 'the agent waits for an answer')}`,
  'input.resolved': (d) => `[${d.kind}] ${d.decision}${d.text ? `: ${line(d.text)}` : ''}`,
  notice: (d) => `[notice] ${d.message}`,
  'health.changed': (d) => `[health] ${d.health}${d.reason ? `: ${d.reason}` : ''}`,
  notification: (d) => `[notification] ${d.kind}: ${d.reason}`,
  'loop.iteration': (d) =>
    `[loop] iteration ${d.iteration}: ${d.filesChanged.length} files, ${d.commits.length} commits, ` +
    `${usd(d.costUsd)}, breaker ${d.breaker} — ${d.decision}`,
  'step.changed': (d) => `[step] ${d.index}/${d.total} ${d.name}: ${d.status}`,
};

/** The text of one event, or null when the event is not shown on its own. */
export function describeEvent(event: GluonEvent): string | null {
  const render = RENDERERS[event.type] as (data: GluonEvent['data']) => string | null;
  return render(event.data);
}

/** One event as a numbered line (`#12 [tool] Bash: ls`), or null when it is not shown. */
export function eventLine(event: GluonEvent): string | null {
  const text = describeEvent(event);
  return text === null ? null : `#${event.seq} ${text}`;
}

/** A tool input as one line: the command or path when there is one, else compact JSON. */
function inputText(input: unknown): string {
  if (input === null || typeof input !== 'object') return input === undefined ? '' : String(input);
  const record = input as Record<string, unknown>;
  for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return oneLine(value);
  }
  return JSON.stringify(input);
}
