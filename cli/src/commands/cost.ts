/** `gluon cost [--json] [--by day|project|task|model|user]`. */
import { Option, type Command } from 'commander';
import type { CostGrouping } from '../../../shared/client.js';
import type { CliContext } from '../context.js';
import { renderCostReport } from '../format-task.js';

const GROUPINGS: CostGrouping[] = ['day', 'project', 'task', 'model', 'user'];

/** Registers `cost`. */
export function registerCost(program: Command, ctx: CliContext): void {
  program
    .command('cost')
    .description('What the agents have cost: today, this week, this month, in total')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--by <grouping>', 'also break it down').choices(GROUPINGS))
    .action(async (opts: { json?: boolean; by?: CostGrouping }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const report = await client.costs(opts.by);
      if (opts.json) return ctx.printJson(report);
      for (const line of renderCostReport(report, ctx.style)) ctx.out(line);
    });
}
