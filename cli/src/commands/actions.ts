/**
 * The task actions: `resume`, `answer`, `approve`, `deny`, `cancel`, `stop-loop`, `move` and `pr`. Each
 * prints one confirmation line (or the DTO with `--json`).
 */
import { Argument, type Command } from 'commander';
import { TASK_STATUSES, type TaskDto, type TaskStatus } from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import type { CliContext } from '../context.js';
import { statusLabel } from '../format-task.js';

interface ActionSpec {
  name: string;
  description: string;
  /** The variadic text argument, if the action takes one. */
  text?: { name: string; description: string; required: boolean };
  done: string;
  call(client: GluonClient, id: string, text: string): Promise<TaskDto>;
}

const ACTIONS: ActionSpec[] = [
  {
    name: 'resume',
    description: 'Resume a task with feedback (same worktree, same session)',
    text: { name: 'feedback', description: 'what to do next', required: true },
    done: 'resumed',
    call: (client, id, text) => client.resume(id, text),
  },
  {
    name: 'answer',
    description: "Answer the agent's question",
    text: { name: 'text', description: 'the answer', required: true },
    done: 'answered',
    call: (client, id, text) => client.answer(id, text),
  },
  {
    name: 'approve',
    description: 'Approve the pending tool call',
    done: 'approved',
    call: (client, id) => client.approve(id),
  },
  {
    name: 'deny',
    description: 'Deny the pending tool call',
    text: { name: 'reason', description: 'why (the agent sees it)', required: false },
    done: 'denied',
    call: (client, id, text) => client.deny(id, text || undefined),
  },
  {
    name: 'cancel',
    description: 'Cancel a task',
    done: 'cancelled',
    call: (client, id) => client.cancel(id),
  },
  {
    name: 'stop-loop',
    description: 'Stop a Ralph loop now',
    done: 'stopped the loop of',
    call: (client, id) => client.stopLoop(id),
  },
];

/** Registers the task actions. */
export function registerActions(program: Command, ctx: CliContext): void {
  const confirm = (verb: string, task: TaskDto) =>
    ctx.out(`${verb} ${task.id} · now ${statusLabel(task, ctx.style)}`);

  for (const spec of ACTIONS) {
    const command = program
      .command(spec.name)
      .description(spec.description)
      .argument('<id>', 'task id or a unique prefix (4+ characters)');
    if (spec.text) {
      const { name, description, required } = spec.text;
      command.argument(required ? `<${name}...>` : `[${name}...]`, description);
    }
    command.option('--json', 'print the task as JSON').action(async (id: string, ...rest: unknown[]) => {
      const words = spec.text ? ((rest[0] as string[] | undefined) ?? []) : [];
      const opts = rest.at(-2) as { json?: boolean };
      const { client } = ctx.connect(rest.at(-1) as Command);
      const task = await spec.call(client, id, words.join(' ').trim());
      if (opts.json) ctx.printJson(task);
      else confirm(spec.done, task);
    });
  }

  program
    .command('move')
    .description('Move a task to another column')
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .addArgument(new Argument('<status>', 'target status').choices(TASK_STATUSES))
    .option('--json', 'print the task as JSON')
    .action(async (id: string, status: TaskStatus, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const task = await client.move(id, status);
      if (opts.json) ctx.printJson(task);
      else confirm('moved', task);
    });

  program
    .command('pr')
    .description("Open a pull request for the task's branch (returns the existing one if any)")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--json', 'print the pull request as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const pr = await client.pr(id);
      if (opts.json) ctx.printJson(pr);
      else ctx.out(`PR #${pr.number} (${pr.state}): ${pr.url}`);
    });
}
