/** The task reads: `gluon ls` (the board as a table) and `gluon show <id>`. */
import { Option, type Command } from 'commander';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.js';
import type { CliContext } from '../context.js';
import { renderTaskSheet, renderTaskTable } from '../format-task.js';

/** Registers `ls` and `show`. */
export function registerReads(program: Command, ctx: CliContext): void {
  program
    .command('ls')
    .description('List tasks')
    .option('--json', 'print the tasks as JSON')
    .addOption(new Option('--status <status>', 'only tasks in this status').choices(TASK_STATUSES))
    .option('--project <name>', 'only tasks of this project')
    .action(async (opts: { json?: boolean; status?: TaskStatus; project?: string }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const tasks = await client.listTasks({ status: opts.status, project: opts.project });
      if (opts.json) return ctx.printJson(tasks);
      for (const line of renderTaskTable(tasks, ctx.style)) ctx.out(line);
    });

  program
    .command('show')
    .description('Show a task, and what it waits for if anything')
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const task = await client.getTask(id);
      if (opts.json) return ctx.printJson(task);
      for (const line of renderTaskSheet(task, ctx.style)) ctx.out(line);
    });
}
