/**
 * Chat views of tasks: the board summary, the task list, one task's status with what waits for a human
 * (and the buttons that answer it), and the cost report. Plain text with a few emoji; every message about
 * a task carries its tag (`#id`) so that a reply to it can be routed back to the task.
 */
import type { PendingInput, TaskDto, TaskStatus } from '../../../shared/api.js';
import type { CostReport } from '../../../shared/governance-dto.js';
import type { Button, Reply } from './reply.js';
import { taskTag } from './reply.js';
import { inputRequestLines } from '../../../shared/event-text.js';
import { isStuck, needsHuman } from '../../../shared/notification-rules.js';
import { formatUsd, oneLine, truncate } from '../../../shared/text.js';
import { decorate } from './log-lines.js';

const COLUMNS: [TaskStatus, string][] = [
  ['queued', 'Queue'],
  ['running', 'Running'],
  ['review', 'Review'],
  ['done', 'Done'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
];
const STATUS_ICON: Record<TaskStatus, string> = {
  queued: '⏳',
  running: '🏃',
  review: '👀',
  done: '✅',
  failed: '❌',
  cancelled: '🚫',
};

/** The page of a task in the web dashboard. */
export function taskLink(publicUrl: string, taskId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/tasks/${taskId}`;
}

/** `👀 #id Fix the auth bug · sample · $0.0123 · ❗ needs input` */
export function taskLine(task: TaskDto): string {
  const parts = [`${STATUS_ICON[task.status]} ${taskTag(task.id)} ${truncate(oneLine(task.title), 60)}`];
  parts.push(task.project, formatUsd(task.costUsd));
  if (task.inputRequired) parts.push('❗ needs input');
  if (isStuck(task)) parts.push('🔴 stuck');
  return parts.join(' · ');
}

/**
 * The board: counts per column, then the tasks that need a human.
 * Rules: Failed and Cancelled are shown only when not empty; "needs you" lists tasks waiting for input and
 * running tasks whose health is red, newest first, at most 10.
 */
export function renderBoard(tasks: TaskDto[]): string {
  const counts = COLUMNS.filter(([status]) => status !== 'failed' && status !== 'cancelled')
    .map(([status, label]) => `${label} ${tasks.filter((t) => t.status === status).length}`)
    .concat(
      COLUMNS.filter(([status]) => status === 'failed' || status === 'cancelled')
        .map(([status, label]) => [label, tasks.filter((t) => t.status === status).length] as const)
        .filter(([, n]) => n > 0)
        .map(([label, n]) => `${label} ${n}`),
    );
  const needing = newestFirst(tasks.filter(needsHuman));
  const lines = [`📋 ${counts.join(' · ')}`];
  if (needing.length === 0) lines.push('', 'Nothing needs you right now.');
  else lines.push('', 'Needs you:', ...needing.slice(0, 10).map(taskLine));
  if (needing.length > 10) lines.push(`… and ${needing.length - 10} more`);
  return lines.join('\n');
}

/** The latest tasks, newest first (at most `max`). */
export function renderTaskList(tasks: TaskDto[], max = 15): string {
  if (tasks.length === 0) return 'No tasks yet. Start one with /new <project> <prompt>.';
  const sorted = newestFirst(tasks);
  const lines = sorted.slice(0, max).map(taskLine);
  if (sorted.length > max) lines.push(`… and ${sorted.length - max} older`);
  return lines.join('\n');
}

/** One task in detail, with its pending question or approval and the buttons that settle it. */
export function renderStatus(task: TaskDto, publicUrl: string): Reply {
  const cost =
    task.maxCostUsd === null
      ? formatUsd(task.costUsd)
      : `${formatUsd(task.costUsd)} of ${formatUsd(task.maxCostUsd)}`;
  const lines = [
    `${STATUS_ICON[task.status]} ${taskTag(task.id)} ${oneLine(task.title)}`,
    `Project: ${task.project} · ${task.profile} · ${task.status}${task.stopReason ? ` (${task.stopReason})` : ''}`,
    `Cost: ${cost}`,
  ];
  if (task.status === 'running' && task.health && task.health !== 'green')
    lines.push(`Health: ${task.health}${task.healthReason ? ` — ${task.healthReason}` : ''}`);
  if (task.branch) lines.push(`Branch: ${task.branch}`);
  if (task.error) lines.push(`Error: ${truncate(oneLine(task.error), 300)}`);
  const pending = task.pendingInput ? renderPending(task.id, task.pendingInput) : null;
  if (pending) lines.push('', pending.text);
  lines.push('', taskLink(publicUrl, task.id));
  return { text: lines.join('\n'), buttons: pending?.buttons };
}

/** A question or an approval: what is asked (the shared text), and the buttons (options; Approve / Deny). */
export function renderPending(taskId: string, pending: PendingInput): { text: string; buttons: Button[][] } {
  const { requestId } = pending;
  // The options are buttons, so the text says only what is asked and why.
  const asked = inputRequestLines(pending).filter((line) => line.tag !== 'option');
  const text = asked.flatMap(decorate).join('\n');
  if (pending.kind === 'approval')
    return {
      text,
      buttons: [
        [
          { label: '✅ Approve', action: { kind: 'approve', taskId, requestId }, style: 'success' },
          { label: '⛔ Deny', action: { kind: 'deny', taskId, requestId }, style: 'danger' },
        ],
      ],
    };
  let option = 0;
  const buttons: Button[][] = (pending.questions ?? [])
    .map((q) =>
      q.options.map((o) => ({
        label: truncate(o.label, 40),
        action: { kind: 'answer' as const, taskId, requestId, option: option++ },
      })),
    )
    .filter((row) => row.length > 0);
  buttons.push([{ label: '✍️ Answer…', action: { kind: 'reply', taskId, requestId }, style: 'secondary' }]);
  return { text: `${text}\nReply to this message to answer.`, buttons };
}

/** The label of the n-th option across the pending questions (buttons number them in order). */
export function optionLabel(pending: PendingInput, option: number): string | null {
  const labels = (pending.questions ?? []).flatMap((q) => q.options.map((o) => o.label));
  return labels[option] ?? null;
}

/** Today / this week / this month / total, plus the unpriced models warning. */
export function renderCost(report: CostReport): string {
  const lines = [
    `💰 Today ${formatUsd(report.today)} · Week ${formatUsd(report.week)} · Month ${formatUsd(report.month)}`,
    `Total ${formatUsd(report.total)}`,
  ];
  for (const row of (report.rows ?? []).slice(0, 10)) lines.push(`• ${row.label}: ${formatUsd(row.costUsd)}`);
  if (report.unpricedModels.length)
    lines.push(`⚠️ Not priced live (unknown models): ${report.unpricedModels.join(', ')}`);
  return lines.join('\n');
}

function newestFirst(tasks: TaskDto[]): TaskDto[] {
  return [...tasks].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
