/**
 * `gluon budget set|ls|rm`: spending limits per project, workspace or user, per day or month.
 * `gluon budget set --workspace team --day 20` (or `--project N`, `--user ID`; `--month USD`).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { BudgetDto } from '../../../shared/governance-dto.js';
import { formatUsd } from '../../../shared/text.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

const usd = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('an amount in USD above 0');
  return n;
};

interface SetOptions {
  project?: string;
  workspace?: string;
  user?: string;
  day?: number;
  month?: number;
}

const line = (b: BudgetDto) =>
  `${b.id}  ${b.scope} ${b.name}  ${b.period === 'day' ? 'daily' : 'monthly'} ${formatUsd(b.limitUsd)}  spent ${formatUsd(b.spentUsd)} (${Math.floor(b.used * 100)} %)`;

/** Registers `budget`. */
export function registerBudget(program: Command, ctx: CliContext): void {
  const budget = program.command('budget').description('Spending limits per project, workspace or user');
  budget
    .command('set')
    .description('Set a daily or monthly budget (80 %: a warning; 100 %: runs stop and new ones are refused)')
    .option('--project <name>', 'a project')
    .option('--workspace <name>', 'a workspace')
    .option('--user <id>', 'a user')
    .option('--day <usd>', 'the daily limit', usd)
    .option('--month <usd>', 'the monthly limit', usd)
    .action(async (opts: SetOptions, cmd: Command) => {
      const targets = (['project', 'workspace', 'user'] as const).filter((s) => opts[s] !== undefined);
      if (targets.length !== 1) throw new UsageError('name one of --project, --workspace or --user');
      if ((opts.day === undefined) === (opts.month === undefined))
        throw new UsageError('give one of --day or --month');
      const scope = targets[0]!;
      const { client } = ctx.connect(cmd);
      const set = await client.setBudget({
        scope,
        name: opts[scope]!,
        period: opts.day !== undefined ? 'day' : 'month',
        limitUsd: (opts.day ?? opts.month)!,
      });
      ctx.out(line(set));
    });
  budget
    .command('ls')
    .description('List the budgets and what each has spent this period')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const list = await client.budgets();
      if (opts.json) return ctx.printJson(list);
      if (list.length === 0) return ctx.out('No budgets.');
      for (const b of list) ctx.out(line(b));
    });
  budget
    .command('rm <id>')
    .description('Remove a budget')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      await client.removeBudget(id);
      ctx.out(`Removed budget ${id}.`);
    });
}
