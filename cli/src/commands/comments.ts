/**
 * Review comments from the terminal: `gluon comment <id> <file>:<line>[-<end>] <text…>` adds a pending
 * comment, `gluon comments <id>` lists them (anchored at the branch tip), `gluon send-review <id>
 * [summary…]` resumes the agent with every pending one, and `gluon resolve-comment <id> <commentId>`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { ReviewCommentDto } from '../../../shared/review-dto.js';
import { oneLine, truncate } from '../../../shared/text.js';
import type { CliContext } from '../context.js';
import { renderTable, type Style } from '../format.js';
import { statusLabel } from '../format-task.js';

export interface CommentLocation {
  path: string;
  line: number;
  endLine?: number;
}

/** `src/a.ts:12` or `src/a.ts:10-14` (the last `:` splits, so a path may hold one). */
export function parseLocation(value: string): CommentLocation {
  const at = value.lastIndexOf(':');
  const m = /^(\d+)(?:-(\d+))?$/.exec(at > 0 ? value.slice(at + 1) : '');
  const [line, endLine] = [Number(m?.[1]), m?.[2] === undefined ? undefined : Number(m[2])];
  if (!m || line < 1 || (endLine !== undefined && endLine < line))
    throw new InvalidArgumentError('expected <file>:<line> or <file>:<first>-<last>, e.g. src/app.ts:12');
  return endLine === undefined || endLine === line
    ? { path: value.slice(0, at), line }
    : { path: value.slice(0, at), line, endLine };
}

const where = (c: ReviewCommentDto) =>
  `${c.path}:${c.line === c.endLine ? c.line : `${c.line}-${c.endLine}`}`;

function stateOf(c: ReviewCommentDto, style: Style): string {
  const parts = [
    c.resolvedAt ? style.green('resolved') : c.reviewId ? 'sent' : style.yellow('pending'),
    ...(c.outdated ? [style.dim('outdated')] : []),
    ...(c.addressedBy.length ? [`addressed in ${c.addressedBy.join(', ')}`] : []),
  ];
  return parts.join(' · ');
}

/** The `gluon comments` table. */
export function renderComments(comments: ReviewCommentDto[], style: Style): string[] {
  if (comments.length === 0) return ['no comments'];
  const rows = comments.map((c) => [
    style.yellow(c.id.slice(0, 8)),
    where(c),
    stateOf(c, style),
    truncate(oneLine(c.body), 60),
  ]);
  return renderTable(['ID', 'WHERE', 'STATE', 'COMMENT'], rows, style.bold);
}

export function registerComments(program: Command, ctx: CliContext): void {
  program
    .command('comment')
    .description("Comment on a line or a range of a task's diff (pending until `gluon send-review`)")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .argument(
      '<location>',
      '<file>:<line> or <file>:<first>-<last> (lines of the file on the task branch)',
      parseLocation,
    )
    .argument('<text...>', 'the comment')
    .option('--json', 'print the comment as JSON')
    .action(
      async (id: string, at: CommentLocation, text: string[], opts: { json?: boolean }, cmd: Command) => {
        const { client } = ctx.connect(cmd);
        const comment = await client.addComment(id, { ...at, body: text.join(' ') });
        if (opts.json) return ctx.printJson(comment);
        ctx.out(`${comment.id} · ${where(comment)} · pending (send with: gluon send-review ${id})`);
      },
    );

  program
    .command('comments')
    .description("List a task's review comments, anchored at its branch tip")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--json', 'print the comments as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const comments = await client.comments(id);
      if (opts.json) return ctx.printJson(comments);
      for (const line of renderComments(comments, ctx.style)) ctx.out(line);
    });

  program
    .command('send-review')
    .description('Resume the agent with every pending comment, anchored (file, lines, code)')
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .argument('[summary...]', 'an overall note that comes before the comments')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, summary: string[], opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const task = await client.sendReview(id, summary.length ? summary.join(' ') : undefined);
      if (opts.json) return ctx.printJson(task);
      ctx.out(`review sent to ${task.id} · now ${statusLabel(task, ctx.style)}`);
    });

  program
    .command('resolve-comment')
    .description('Mark a review comment resolved (or open again with --reopen)')
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .argument('<commentId>', 'the comment id')
    .option('--reopen', 'open the comment again')
    .option('--json', 'print the comment as JSON')
    .action(
      async (id: string, commentId: string, opts: { reopen?: boolean; json?: boolean }, cmd: Command) => {
        const { client } = ctx.connect(cmd);
        const comment = await client.resolveComment(id, commentId, !opts.reopen);
        if (opts.json) return ctx.printJson(comment);
        ctx.out(`${comment.id} · ${where(comment)} · ${comment.resolvedAt ? 'resolved' : 'open'}`);
      },
    );
}
