/**
 * Human views of tasks, projects and cost reports: the `ls` table, the `show` sheet with what waits for a
 * human and how to answer it, and the one-line task summary that ends `logs`.
 */
import type { ProjectDto, TaskDto } from '../../shared/api.js';
import type { CostReport } from '../../shared/governance-dto.js';
import { isStuck } from '../../shared/notification-rules.js';
import { formatUsd, oneLine, truncate } from '../../shared/text.js';
import { colorStatus, describePendingInput } from './format-events.js';
import { renderTable, type Style } from './format.js';

/** `running`, `review ! needs input`, `running (stuck)`. */
export function statusLabel(task: TaskDto, style: Style): string {
  let label = colorStatus(task.status, style);
  if (task.inputRequired) label += ` ${style.yellow(style.bold('! needs input'))}`;
  if (task.blocked) label += ` ${style.dim('(blocked)')}`;
  if (isStuck(task)) label += ` ${style.red('(stuck)')}`;
  if (task.status === 'running' && task.health === 'yellow') label += ` ${style.yellow('(slow)')}`;
  return label;
}

/** The `gluon ls` table. */
export function renderTaskTable(tasks: TaskDto[], style: Style): string[] {
  if (tasks.length === 0) return ['no tasks'];
  const rows = tasks.map((t) => [
    t.id,
    statusLabel(t, style),
    t.profile,
    t.project,
    formatUsd(t.costUsd),
    truncate(oneLine(t.title), 60),
  ]);
  return renderTable(['ID', 'STATUS', 'PROFILE', 'PROJECT', 'COST', 'TITLE'], rows, style.bold);
}

/** The `gluon project ls` table. */
export function renderProjectTable(projects: ProjectDto[], style: Style): string[] {
  if (projects.length === 0) return ['no projects (add one with: gluon project add <path>)'];
  const rows = projects.map((p) => [p.name, p.workspace, p.defaultBranch, p.remote ?? '—', p.path]);
  return renderTable(['NAME', 'WORKSPACE', 'BRANCH', 'REMOTE', 'PATH'], rows, style.bold);
}

/** The `gluon show` sheet: aligned `key: value` lines, then the pending input if any. */
export function renderTaskSheet(task: TaskDto, style: Style): string[] {
  const cost =
    task.maxCostUsd === null
      ? formatUsd(task.costUsd)
      : `${formatUsd(task.costUsd)} of ${formatUsd(task.maxCostUsd)}`;
  const fields: [string, string | null][] = [
    ['id', task.id],
    ['title', task.title],
    ['project', `${task.project} (${task.workspace})`],
    ['status', statusLabel(task, style)],
    ['blocked', task.blocked ?? null],
    [
      'waits for',
      task.waitsFor?.length ? task.waitsFor.map((w) => `${w.id} (${w.status})`).join(', ') : null,
    ],
    ['forked from', task.forkedFrom ?? null],
    ['forked as', task.forks?.length ? task.forks.join(', ') : null],
    ['health', task.health ? `${task.health}${task.healthReason ? ` — ${task.healthReason}` : ''}` : null],
    ['profile', `${task.profile} · ${task.agent} · ${task.model}`],
    ['approval', task.approval],
    ['branch', task.branch ? `${task.branch} (from ${task.baseBranch})` : null],
    ['worktree', task.worktreePath],
    ['worker', task.worker],
    ['cost', cost],
    ['iterations', task.iterations > 0 ? String(task.iterations) : null],
    ['stop reason', task.stopReason],
    ['error', task.error ? oneLine(task.error) : null],
    ['session', task.sessionId],
    ['created', task.createdAt],
    ['started', task.startedAt],
    ['finished', task.finishedAt],
  ];
  const shown = fields.filter((field): field is [string, string] => field[1] !== null && field[1] !== '');
  const width = Math.max(...shown.map(([key]) => key.length)) + 1;
  const lines = shown.map(([key, value]) => `${style.dim(`${key}:`.padEnd(width))} ${value}`);
  lines.push(
    '',
    style.dim('prompt:'),
    ...task.prompt
      .replace(/\s+$/, '')
      .split('\n')
      .map((l) => `  ${l}`),
  );
  if (task.pendingInput)
    lines.push(
      '',
      ...describePendingInput(task.id, task.pendingInput, { style, worktreePath: task.worktreePath }),
    );
  return lines;
}

/** The last line of `gluon logs`: status, why the last run stopped, cost. */
export function renderTaskSummary(task: TaskDto, style: Style): string {
  const parts = [statusLabel(task, style)];
  if (task.stopReason) parts.push(task.stopReason);
  parts.push(formatUsd(task.costUsd));
  if (task.error) parts.push(style.red(truncate(oneLine(task.error), 160)));
  return `${style.dim('──')} task ${task.id}: ${parts.join(' · ')}`;
}

/** The `gluon cost` report: the totals, then the grouped rows when asked for. */
export function renderCostReport(report: CostReport, style: Style): string[] {
  const lines = renderTable(
    ['TODAY', 'THIS WEEK', 'THIS MONTH', 'TOTAL'],
    [[report.today, report.week, report.month, report.total].map(formatUsd)],
    style.bold,
  );
  if (report.by && report.rows) {
    lines.push('');
    if (report.rows.length === 0) lines.push(`no costs by ${report.by} yet`);
    else {
      const rows = report.rows.map((row) => [row.label || row.key, formatUsd(row.costUsd), String(row.runs)]);
      lines.push(...renderTable([report.by.toUpperCase(), 'COST', 'RUNS'], rows, style.bold));
    }
  }
  for (const model of report.unpricedModels) {
    lines.push(
      style.yellow(`warning: model ${model} is not in the pricing table; its live cost is not estimated`),
    );
  }
  return lines;
}
