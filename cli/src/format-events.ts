/**
 * Task events as terminal lines: the shared event text (shared/event-text.ts) decorated for a terminal —
 * `[tag]` coloured by tone, folded results under their call, indented details — plus the `gluon` command
 * that answers a question or an approval.
 */
import type { PendingInput } from '../../shared/api.js';
import { eventLines, inputRequestLines, type EventLine } from '../../shared/event-text.js';
import type { GluonEvent } from '../../shared/events.js';
import type { Style } from './format.js';

export interface DescribeContext {
  style: Style;
  /** Tool paths inside it are shown relative to it. */
  worktreePath?: string | null;
}

/** The lines that show one event; empty for events that are not shown on their own (`agent.delta`). */
export function describeEvent(event: GluonEvent, ctx: DescribeContext): string[] {
  const lines = eventLines(event, ctx).map((line) => decorate(line, ctx.style));
  if (event.type !== 'input.requested') return lines;
  const commands = answerCommands(event.taskId, event.data.kind).map(([, command]) => command);
  return [...lines, ctx.style.yellow(`  → ${commands.join('   or   ')}`)];
}

/** What waits for a human on a task, and the commands that answer it (the `show` sheet). */
export function describePendingInput(taskId: string, input: PendingInput, ctx: DescribeContext): string[] {
  const commands = answerCommands(taskId, input.kind);
  const width = Math.max(...commands.map(([verb]) => verb.length)) + 1;
  return [
    ...inputRequestLines(input, ctx).map((line) => decorate(line, ctx.style)),
    ...commands.map(([verb, command]) => `  ${`${verb}:`.padEnd(width)} ${command}`),
  ];
}

function answerCommands(taskId: string, kind: PendingInput['kind']): [string, string][] {
  return kind === 'approval'
    ? [
        ['approve', `gluon approve ${taskId}`],
        ['deny', `gluon deny ${taskId} [reason]`],
      ]
    : [['answer', `gluon answer ${taskId} <text...>`]];
}

/**
 * One shared line as the terminal shows it.
 * Rules: details are indented under their line; the agent's text is printed as it is; a tool result is
 * folded under its call (↳, or ✗ when it failed); every other line starts with its `[tag]`. Muted lines are
 * dim, warnings yellow and bold, errors red; otherwise only the tag is coloured (blue, green when good).
 */
export function decorate(line: EventLine, style: Style): string {
  if (line.detail) return `    ${line.text}`;
  if (line.tag === 'text') return line.text;
  const text =
    line.tag === 'result'
      ? `  ${line.tone === 'error' ? '✗' : '↳'} ${line.text}`
      : `${tagStyle(line, style)(`[${line.tag}]`)} ${line.text}`;
  if (line.tone === 'muted') return style.dim(text);
  if (line.tone === 'error') return style.red(text);
  if (line.tone === 'warn') return style.yellow(style.bold(text));
  return text;
}

function tagStyle(line: EventLine, style: Style): (text: string) => string {
  if (line.tone === 'good') return style.green;
  if (line.tone === 'info') return style.blue;
  return (text) => text;
}

/** Colours a status name: green for review/done, red for failed, dim for cancelled. */
export function colorStatus(status: string, style: Style): string {
  if (status === 'review' || status === 'done') return style.green(status);
  if (status === 'failed') return style.red(status);
  if (status === 'cancelled') return style.dim(status);
  if (status === 'running') return style.cyan(status);
  return status;
}
