/**
 * `gluon merge <id>…` (merge tasks in order through the project's merge queue, printing each task's
 * outcome as it comes: merged, sent back with the reason, or skipped) and `gluon fork <id> [prompt…]`
 * (a new task from the task's branch and session; prints its id).
 */
import type { Command } from 'commander';
import type { MergeEntryDto, MergeQueueDto } from '../../../shared/api.js';
import { ApiError, type GluonClient } from '../../../shared/client.js';
import type { CliContext } from '../context.js';
import { CommandFailure, describeApiError, UsageError } from '../errors.js';
import type { Style } from '../format.js';

const ID = /^[a-z0-9]{4,32}$/;
/** Refusals that say the command line named the wrong tasks (exit 2), not that the server failed. */
const BAD_INPUT = new Set([
  'task_not_in_review',
  'no_branch',
  'task_active',
  'ambiguous_id',
  'duplicate_task',
]);

/** An API refusal of what the user typed becomes a usage error (exit 2); anything else stays as it is. */
function asUsage(error: unknown): never {
  if (
    error instanceof ApiError &&
    (error.status === 400 || error.status === 404 || BAD_INPUT.has(error.code))
  )
    throw new UsageError(describeApiError(error));
  throw error;
}

function checkIds(ids: string[]): void {
  const bad = ids.find((id) => !ID.test(id));
  if (bad) throw new UsageError(`'${bad}' is not a task id (4 to 32 of a-z0-9)`);
}

/** One line per finished entry: `merged  abcd1234 “Title”: merged into main as 1a2b3c4 (fast-forward)`. */
export function renderEntry(e: MergeEntryDto, style: Style): string {
  const label =
    e.outcome === 'merged'
      ? style.green('merged')
      : e.outcome === 'sent_back'
        ? style.yellow('sent back')
        : style.dim(e.outcome === 'skipped' ? 'skipped' : e.outcome);
  return `${label} ${e.taskId.slice(0, 8)} “${e.title}”${e.reason ? `: ${e.reason}` : ''}`;
}

const finished = (e: MergeEntryDto) => e.outcome !== 'pending' && e.outcome !== 'merging';

/** Polls the queue until it stops, printing each entry once it is final; resolves to the last state. */
async function follow(client: GluonClient, ctx: CliContext, queue: MergeQueueDto, quiet: boolean) {
  let printed = 0;
  let q = queue;
  for (;;) {
    while (printed < q.entries.length && finished(q.entries[printed]!)) {
      if (!quiet) ctx.out(renderEntry(q.entries[printed]!, ctx.style));
      printed++;
    }
    if (q.status !== 'running') return q;
    await new Promise((r) => setTimeout(r, 500));
    q = await client.mergeQueue(q.id);
  }
}

export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description(
      'Merge tasks in review into their base branch, in this order: rebase, verify, land; a conflict or a failing verify sends the task back to its agent',
    )
    .argument('<ids...>', 'task ids or unique prefixes (4+ characters), in merge order')
    .option('--json', 'print the merge queue with every outcome as JSON')
    .action(async (ids: string[], opts: { json?: boolean }, cmd: Command) => {
      checkIds(ids);
      const { client } = ctx.connect(cmd);
      const started = await client.merge(ids).catch(asUsage);
      if (!opts.json)
        ctx.out(
          `merging ${ids.length} task(s) into ${started.baseBranch} (${started.method}) · queue ${started.id}`,
        );
      const q = await follow(client, ctx, started, Boolean(opts.json));
      if (opts.json) ctx.printJson(q);
      if (q.status === 'interrupted')
        throw new CommandFailure('the merge queue was interrupted (its server stopped)');
      const left = q.entries.filter((e) => e.outcome !== 'merged').length;
      if (left) throw new CommandFailure(`${left} of ${q.entries.length} task(s) not merged`);
    });

  program
    .command('fork')
    .description("Fork a task: a new task from its branch and its agent's session, to try another approach")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .argument('[prompt...]', "the fork's prompt (default: the task's own prompt)")
    .option('--json', 'print the new task as JSON')
    .action(async (id: string, words: string[], opts: { json?: boolean }, cmd: Command) => {
      checkIds([id]);
      const { client } = ctx.connect(cmd);
      const prompt = words.join(' ').trim();
      const task = await client.fork(id, prompt || undefined).catch(asUsage);
      if (opts.json) return ctx.printJson(task);
      ctx.out(task.id);
    });
}
