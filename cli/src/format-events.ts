/**
 * Turns task events into readable log lines: `[tool] Bash: npm test`, results folded to a line, agent
 * text, dimmed thinking, status changes, costs, and questions/approvals with the command that answers them.
 */
import { isAbsolute, relative } from 'node:path';
import type { GluonEvent } from '../../shared/events.js';
import { foldLines, formatUsd, oneLine, truncate, type Style } from './format.js';

export interface DescribeContext {
  style: Style;
  /** Tool paths inside it are shown relative to it. */
  worktreePath?: string | null;
}

/** The lines that show one event; empty for events that are not shown on their own (`agent.delta`). */
export function describeEvent(event: GluonEvent, ctx: DescribeContext): string[] {
  const { style } = ctx;
  switch (event.type) {
    case 'agent.text':
      return [subagentPrefix(event.data.subagent) + event.data.text.replace(/\s+$/, '')];
    case 'agent.thinking':
      return [
        style.dim(`${subagentPrefix(event.data.subagent)}[thinking] ${event.data.text.replace(/\s+$/, '')}`),
      ];
    case 'agent.delta':
      return [];
    case 'tool.called': {
      const summary = summarizeToolInput(event.data.name, event.data.input, ctx.worktreePath);
      const head = `${subagentPrefix(event.data.subagent)}${style.cyan('[tool]')} ${style.bold(event.data.name)}`;
      return [summary ? `${head}: ${summary}` : head];
    }
    case 'tool.result': {
      // Paths inside the worktree read better relative, as in tool calls.
      const output = ctx.worktreePath
        ? event.data.output.split(`${ctx.worktreePath}/`).join('')
        : event.data.output;
      return [describeToolResult(output, event.data.isError, style)];
    }
    case 'status.changed': {
      const reason = event.data.reason ? ` (${event.data.reason})` : '';
      return [
        `${style.blue('[status]')} ${event.data.from ?? '—'} → ${colorStatus(event.data.to, style)}${reason}`,
      ];
    }
    case 'task.moved':
      return [`${style.blue('[moved]')} ${event.data.from} → ${colorStatus(event.data.to, style)}`];
    case 'task.created':
      return [`${style.blue('[task]')} created: ${event.data.title}`];
    case 'run.started': {
      const resume = event.data.resumeOf ? ` (resumes ${event.data.resumeOf})` : '';
      return [style.dim(`[run] ${event.data.kind} started · ${event.data.model}${resume}`)];
    }
    case 'run.session':
      return [style.dim(`[session] ${event.data.sessionId}`)];
    case 'run.ended': {
      const line = `[run] ended: ${event.data.stopReason} · ${formatUsd(event.data.costUsd)}`;
      const error = event.data.error ? ` — ${oneLine(event.data.error)}` : '';
      return [event.data.error ? style.red(line + error) : style.dim(line)];
    }
    case 'cost.updated':
      return [style.dim(`[cost] ${formatUsd(event.data.taskCostUsd)}${event.data.final ? ' (final)' : ''}`)];
    case 'cost.warning':
      return [style.yellow(`[cost] warning: ${event.data.message}`)];
    case 'run.error':
      return [style.red(`[error] ${event.data.message}${event.data.retryable ? ' (will retry)' : ''}`)];
    case 'git.committed': {
      const files = event.data.files.length === 1 ? '1 file' : `${event.data.files.length} files`;
      const message = foldLines(event.data.message).first;
      return [`${style.green('[commit]')} ${event.data.sha.slice(0, 8)} ${message} (${files})`];
    }
    case 'input.requested':
      return describeInputRequest(event.taskId, event.data, ctx);
    case 'input.resolved': {
      const text = event.data.text ? `: ${truncate(oneLine(event.data.text), 200)}` : '';
      return [`${style.yellow(`[${event.data.kind}]`)} ${event.data.decision}${text}`];
    }
    case 'notice':
      return [`${style.blue('[notice]')} ${event.data.message}`];
    case 'health.changed': {
      const line = `[health] ${event.data.health}${event.data.reason ? `: ${event.data.reason}` : ''}`;
      return [
        event.data.health === 'red'
          ? style.red(line)
          : event.data.health === 'yellow'
            ? style.yellow(line)
            : style.dim(line),
      ];
    }
    case 'notification':
      return [
        style.yellow(
          `[notify] ${event.data.kind.replace('_', ' ')}: ${event.data.reason} · ${formatUsd(event.data.costUsd)}`,
        ),
      ];
    case 'loop.iteration': {
      const d = event.data;
      const verify = d.verify ? ` · verify ${d.verify.exitCode === 0 ? 'passed' : 'failed'}` : '';
      return [
        `${style.blue(`[loop] iteration ${d.iteration}`)}: ${d.filesChanged.length} files, ${d.commits.length} commits, ` +
          `${formatUsd(d.costUsd)}, breaker ${d.breaker}${verify} — ${d.decision}`,
      ];
    }
    case 'step.changed':
      return [
        style.blue(`[step] ${event.data.index}/${event.data.total} ${event.data.name}: ${event.data.status}`),
      ];
    case 'git.synced': {
      const files = event.data.files?.length ? ` (${event.data.files.join(', ')})` : '';
      return [`${style.green('[git]')} ${event.data.action.replace('_', ' ')}: ${event.data.detail}${files}`];
    }
  }
}

function describeInputRequest(
  taskId: string,
  data: Extract<GluonEvent, { type: 'input.requested' }>['data'],
  ctx: DescribeContext,
): string[] {
  const { style } = ctx;
  const reason = data.reason ? [`  ${data.reason}`] : [];
  if (data.kind === 'approval') {
    const tool = data.toolName ?? 'a tool';
    const summary = data.toolName ? summarizeToolInput(data.toolName, data.toolInput, ctx.worktreePath) : '';
    return [
      style.yellow(style.bold(`[approval] ${tool} waits for approval${summary ? `: ${summary}` : ''}`)),
      ...reason,
      style.yellow(`  → gluon approve ${taskId}   or   gluon deny ${taskId} [reason]`),
    ];
  }
  const questions = (data.questions ?? []).flatMap((q) => [
    style.yellow(style.bold(`[question] ${q.header ? `${q.header}: ` : ''}${q.question}`)),
    ...q.options.map((o, i) => `    ${i + 1}. ${o.label}${o.description ? ` — ${o.description}` : ''}`),
  ]);
  return [
    ...(questions.length
      ? questions
      : [style.yellow(style.bold('[question] the agent waits for an answer'))]),
    ...reason,
    style.yellow(`  → gluon answer ${taskId} <text...>`),
  ];
}

function describeToolResult(output: string, isError: boolean, style: Style): string {
  const { first, count } = foldLines(output);
  if (isError) {
    const more = count > 1 ? ` (+${count - 1} lines)` : '';
    return style.red(`  ✗ error: ${truncate(first, 160)}${more}`);
  }
  if (count === 0) return style.dim('  ↳ (no output)');
  if (count === 1) return style.dim(`  ↳ ${truncate(first, 160)}`);
  return style.dim(`  ↳ ${count} lines: ${truncate(first, 120)}`);
}

const PATH_KEYS = ['file_path', 'notebook_path', 'path'];
const SUMMARY_KEYS: Record<string, string[]> = {
  Bash: ['command'],
  Glob: ['pattern'],
  Grep: ['pattern'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description'],
  Agent: ['description'],
};
const FALLBACK_KEYS = ['command', ...PATH_KEYS, 'pattern', 'url', 'query', 'description', 'prompt'];

/** A short human summary of a tool's input: the command, the file, the pattern... */
export function summarizeToolInput(name: string, input: unknown, worktreePath?: string | null): string {
  if (input === null || typeof input !== 'object')
    return input === undefined ? '' : truncate(String(input), 120);
  const record = input as Record<string, unknown>;
  if (name === 'TodoWrite' && Array.isArray(record.todos)) return `${record.todos.length} todos`;
  if (name === 'AskUserQuestion' && Array.isArray(record.questions)) {
    const first = record.questions[0] as { question?: unknown } | undefined;
    if (typeof first?.question === 'string') return truncate(oneLine(first.question), 120);
  }
  for (const key of SUMMARY_KEYS[name] ?? FALLBACK_KEYS) {
    const value = record[key];
    if (typeof value !== 'string' || value === '') continue;
    return PATH_KEYS.includes(key) ? displayPath(value, worktreePath) : truncate(oneLine(value), 120);
  }
  const json = JSON.stringify(input);
  return json === '{}' ? '' : truncate(json, 120);
}

function displayPath(path: string, worktreePath?: string | null): string {
  if (!worktreePath || !isAbsolute(path)) return path;
  const rel = relative(worktreePath, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function subagentPrefix(subagent: string | null | undefined): string {
  return subagent ? `(${subagent}) ` : '';
}

/** Colours a status name: green for review/done, red for failed, dim for cancelled. */
export function colorStatus(status: string, style: Style): string {
  if (status === 'review' || status === 'done') return style.green(status);
  if (status === 'failed') return style.red(status);
  if (status === 'cancelled') return style.dim(status);
  if (status === 'running') return style.cyan(status);
  return status;
}
