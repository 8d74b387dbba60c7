/**
 * Reviewing and git: `gluon diff <id>` (whole, `--path`, `--commit`, `--stat`), `gluon commits <id>`,
 * `gluon resolve <id>` (resume the agent to fix rebase conflicts) and `gluon worktree prune`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CommitDto, FileChangeDto } from '../../../shared/review-dto.js';
import type { PruneReportDto } from '../../../shared/review-dto.js';
import type { CliContext } from '../context.js';
import { statusLabel } from '../format-task.js';
import { oneLine, truncate } from '../../../shared/text.js';
import { renderTable, type Style } from '../format.js';

function parseSha(value: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(value))
    throw new InvalidArgumentError('expected a commit sha (7 to 40 hex digits)');
  return value;
}

/** `+12 -3`, or `binary`. */
export function formatCounts(
  f: Pick<FileChangeDto, 'additions' | 'deletions' | 'binary'>,
  style: Style,
): string {
  return f.binary ? style.dim('binary') : `${style.green(`+${f.additions}`)} ${style.red(`-${f.deletions}`)}`;
}

/** The `--stat` view: one line per changed file. */
export function renderFileChanges(files: FileChangeDto[], style: Style): string[] {
  if (files.length === 0) return ['no changes'];
  const rows = files.map((f) => [
    f.status,
    formatCounts(f, style),
    f.oldPath ? `${f.oldPath} → ${f.path}` : f.path,
  ]);
  return renderTable(['', 'CHANGES', 'FILE'], rows, style.bold);
}

/** The `gluon commits` table, newest first. */
export function renderCommits(commits: CommitDto[], style: Style): string[] {
  if (commits.length === 0) return ['no commits yet'];
  const rows = commits.map((c) => {
    const add = c.files.reduce((n, f) => n + f.additions, 0);
    const del = c.files.reduce((n, f) => n + f.deletions, 0);
    return [
      style.yellow(c.sha.slice(0, 7)),
      c.time.replace('T', ' ').slice(0, 16),
      truncate(c.author, 20),
      `${c.files.length} file${c.files.length === 1 ? '' : 's'} ${formatCounts({ additions: add, deletions: del, binary: false }, style)}`,
      truncate(oneLine(c.message.split('\n')[0] ?? ''), 60),
    ];
  });
  return renderTable(['SHA', 'TIME', 'AUTHOR', 'CHANGES', 'MESSAGE'], rows, style.bold);
}

/** A summary of a prune: what went, and what stayed and why. */
export function renderPrune(report: PruneReportDto, style: Style): string[] {
  const lines = [`removed ${report.removed.length} worktree(s), kept ${report.kept.length}`];
  for (const r of report.removed)
    lines.push(
      `  ${style.green('removed')} ${r.path}${r.snapshot ? ` (uncommitted work in ${r.snapshot})` : ''}`,
    );
  for (const f of report.forgotten)
    lines.push(`  ${style.dim('forgot')}  ${f.path} (directory already gone)`);
  for (const k of report.kept)
    lines.push(`  ${style.dim('kept')}    ${k.path}: ${k.reason.replace(/_/g, ' ')}`);
  return lines;
}

/** Registers `diff`, `commits`, `resolve` and `worktree prune`. */
export function registerReview(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description("Show a task's changes as a unified diff (against its base)")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--commit <sha>', 'only this commit of the task', parseSha)
    .option('--path <path>', 'only this file')
    .option('--stat', 'list the changed files with +/- counts instead')
    .option('--json', 'print the answer as JSON')
    .action(
      async (
        id: string,
        opts: { commit?: string; path?: string; stat?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const { client } = ctx.connect(cmd);
        if (opts.stat) {
          const changes = await client.changes(id);
          if (opts.json) return ctx.printJson(changes);
          for (const line of renderFileChanges(changes.files, ctx.style)) ctx.out(line);
          return;
        }
        const diff = await client.diff(id, { commit: opts.commit, path: opts.path });
        if (opts.json) return ctx.printJson(diff);
        ctx.io.stdout.write(diff.diff);
        if (diff.truncated)
          ctx.err('gluon: the diff was cut at the size limit; ask for one file with --path');
      },
    );

  program
    .command('commits')
    .description("List a task's commits (newest first)")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--json', 'print the commits as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const commits = await client.commits(id);
      if (opts.json) return ctx.printJson(commits);
      for (const line of renderCommits(commits, ctx.style)) ctx.out(line);
    });

  program
    .command('resolve')
    .description('Resume the agent to rebase the task and resolve its conflicts')
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const task = await client.resolve(id);
      if (opts.json) return ctx.printJson(task);
      ctx.out(`resolving ${task.id} · now ${statusLabel(task, ctx.style)}`);
    });

  program
    .command('worktree')
    .description('Manage task worktrees')
    .command('prune')
    .description('Remove worktrees of finished tasks that hold nothing unique (branches are kept)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const report = await client.pruneWorktrees();
      if (opts.json) return ctx.printJson(report);
      for (const line of renderPrune(report, ctx.style)) ctx.out(line);
    });
}
