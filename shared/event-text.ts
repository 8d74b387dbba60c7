/**
 * One event, as lines of text: what the CLI prints, the bots post and the dashboard shows. Each line says
 * what it is about (`tag`) and how much it matters (`tone`); each surface decorates that its own way
 * (`[tool]` in colour, 🔧 in a chat, a label in the dashboard) and decides which events it leaves out.
 */
import type { PendingInput } from './api.js';
import type { EventDataMap, EventType, GluonEvent } from './events.js';
import { foldLines, formatUsd, oneLine, plural, truncate } from './text.js';
import { summarizeToolInput, toolCallText, toolResultText, type ToolTextOptions } from './tool-text.js';

export type EventTag =
  | 'text'
  | 'thinking'
  | 'tool'
  | 'result'
  | 'status'
  | 'moved'
  | 'task'
  | 'run'
  | 'session'
  | 'cost'
  | 'error'
  | 'commit'
  | 'question'
  | 'approval'
  | 'option'
  | 'reason'
  | 'notice'
  | 'health'
  | 'notify'
  | 'loop'
  | 'step'
  | 'git';

/** `plain` is the agent's own words; `muted` bookkeeping; `info` progress; then good, warn and error news. */
export type EventTone = 'plain' | 'muted' | 'info' | 'good' | 'warn' | 'error';

export interface EventLine {
  tag: EventTag;
  /** May hold line breaks only for the agent's text and thinking (surfaces split or wrap it). */
  text: string;
  tone: EventTone;
  /** A detail of the line above (a question's option, a reason): surfaces indent it. */
  detail?: true;
}

/** A question or an approval, as an event announces it or a task's `pendingInput` holds it. */
export type InputRequest = EventDataMap['input.requested'] & Pick<Partial<PendingInput>, 'text'>;

const line = (tag: EventTag, text: string, tone: EventTone = 'info'): EventLine => ({ tag, text, tone });
const detail = (tag: EventTag, text: string): EventLine => ({ tag, text, tone: 'plain', detail: true });
const words = (id: string) => id.replace(/_/g, ' ');
const own = (subagent: string | null | undefined, text: string) =>
  `${subagent ? `(${subagent}) ` : ''}${text.replace(/\s+$/, '')}`;

const STATUS_TONE: Record<string, EventTone> = {
  review: 'good',
  done: 'good',
  failed: 'error',
  cancelled: 'muted',
};
const HEALTH_TONE: Record<EventDataMap['health.changed']['health'], EventTone> = {
  green: 'muted',
  yellow: 'warn',
  red: 'error',
};
const STEP_TONE: Record<EventDataMap['step.changed']['status'], EventTone> = {
  running: 'info',
  gated: 'warn',
  done: 'good',
  failed: 'error',
};

type Renderers = { [K in EventType]: (data: EventDataMap[K], options: ToolTextOptions) => EventLine[] };

/** How each event type reads; a mapped type, so a new event type does not compile until it has a line. */
const RENDERERS: Renderers = {
  'agent.text': (d) => [line('text', own(d.subagent, d.text), 'plain')],
  'agent.thinking': (d) => [line('thinking', own(d.subagent, d.text), 'muted')],
  'agent.delta': () => [],
  'tool.called': (d, o) => [line('tool', toolCallText(d.name, d.input, { ...o, subagent: d.subagent }))],
  'tool.result': (d, o) => [line('result', toolResultText(d.output, o), d.isError ? 'error' : 'muted')],
  'status.changed': (d) => [
    line('status', `${d.from ?? '—'} → ${d.to}${d.reason ? ` (${d.reason})` : ''}`, STATUS_TONE[d.to]),
  ],
  'task.moved': (d) => [line('moved', `${d.from} → ${d.to}`, STATUS_TONE[d.to])],
  'task.created': (d) => [line('task', `created: ${d.title}`)],
  'run.started': (d) => [
    line('run', `${d.kind} started · ${d.model}${d.resumeOf ? ` (resumes ${d.resumeOf})` : ''}`, 'muted'),
  ],
  'run.session': (d) => [
    line('session', `${d.sessionId} · ${d.model} · ${plural(d.tools.length, 'tool')}`, 'muted'),
  ],
  'run.ended': (d) => [
    line(
      'run',
      `ended: ${d.stopReason} · ${formatUsd(d.costUsd)}${d.error ? ` — ${oneLine(d.error)}` : ''}`,
      d.error ? 'error' : d.stopReason === 'completed' ? 'muted' : 'warn',
    ),
  ],
  'cost.updated': (d) => [line('cost', `${formatUsd(d.taskCostUsd)}${d.final ? ' (final)' : ''}`, 'muted')],
  'cost.warning': (d) => [line('cost', `warning: ${oneLine(d.message)}`, 'warn')],
  'run.error': (d) => [line('error', `${oneLine(d.message)}${d.retryable ? ' (will retry)' : ''}`, 'error')],
  'git.committed': (d) => [
    line(
      'commit',
      `${d.sha.slice(0, 8)} ${foldLines(d.message).first} (${plural(d.files.length, 'file')})`,
      'good',
    ),
  ],
  'input.requested': (d, o) => inputRequestLines(d, o),
  'input.resolved': (d) => [
    line(d.kind, `${d.decision}${d.text ? `: ${truncate(oneLine(d.text), 200)}` : ''}`),
  ],
  notice: (d) => [line('notice', oneLine(d.message))],
  'health.changed': (d) => [
    line('health', `${d.health}${d.reason ? `: ${oneLine(d.reason)}` : ''}`, HEALTH_TONE[d.health]),
  ],
  notification: (d) => [
    line('notify', `${words(d.kind)}: ${oneLine(d.reason)} · ${formatUsd(d.costUsd)}`, 'warn'),
  ],
  'loop.iteration': (d) => [line('loop', iterationText(d), d.errors.length ? 'warn' : 'info')],
  'step.changed': (d) => [line('step', `${d.index}/${d.total} ${d.name}: ${d.status}`, STEP_TONE[d.status])],
  'git.synced': (d) => [
    line(
      'git',
      `${words(d.action)}: ${oneLine(d.detail)}${d.files?.length ? ` (${d.files.join(', ')})` : ''}`,
      d.action === 'conflict' ? 'warn' : 'good',
    ),
  ],
};

/**
 * The lines that show one event (none for a streamed delta, whose complete block follows, nor for an
 * event type this build does not know). Paths inside `worktreePath` read relative to it.
 */
export function eventLines(event: GluonEvent, options: ToolTextOptions = {}): EventLine[] {
  const render = RENDERERS[event.type] as ((data: unknown, o: ToolTextOptions) => EventLine[]) | undefined;
  return render ? render(event.data, options) : [];
}

/**
 * What a question or an approval asks, then its details.
 * Rules: an approval names the tool and its input; a question shows the agent's text (if any), then each
 * question not already said by that text with its numbered options; with neither, a line says the agent
 * waits; a reason comes last.
 */
export function inputRequestLines(input: InputRequest, options: ToolTextOptions = {}): EventLine[] {
  const reason = input.reason ? [detail('reason', oneLine(input.reason))] : [];
  if (input.kind === 'approval') {
    const summary = input.toolName ? summarizeToolInput(input.toolName, input.toolInput, options) : '';
    const tool = `${input.toolName ?? 'a tool'} waits for approval${summary ? `: ${summary}` : ''}`;
    return [line('approval', tool, 'warn'), ...reason];
  }
  const lines = input.text ? [line('question', input.text.trim(), 'warn')] : [];
  for (const q of input.questions ?? []) {
    if (q.question !== input.text)
      lines.push(line('question', `${q.header ? `${q.header}: ` : ''}${q.question}`, 'warn'));
    q.options.forEach((o, i) =>
      lines.push(detail('option', `${i + 1}. ${o.label}${o.description ? ` — ${o.description}` : ''}`)),
    );
  }
  if (lines.length === 0) lines.push(line('question', 'the agent waits for an answer', 'warn'));
  return [...lines, ...reason];
}

function iterationText(d: EventDataMap['loop.iteration']): string {
  const verify = d.verify ? ` · verify ${d.verify.exitCode === 0 ? 'passed' : 'failed'}` : '';
  return (
    `iteration ${d.iteration}: ${oneLine(d.decision)} · ${plural(d.filesChanged.length, 'file')} · ` +
    `${plural(d.commits.length, 'commit')} · ${formatUsd(d.costUsd)} · breaker ${d.breaker}${verify}`
  );
}
