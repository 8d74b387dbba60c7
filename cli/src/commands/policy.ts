/**
 * `gluon policy set|ls|rm`: what a workspace or a project allows its agents.
 * `gluon policy set --project api --protect '.github/workflows/**' --protect 'infra/**' --min-approval careful`
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { APPROVAL_POLICIES, PROFILES, type PolicyDto } from '../../../shared/api.js';
import type { PolicyEntryDto } from '../../../shared/governance-dto.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

const usd = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('an amount in USD above 0');
  return n;
};
const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const collect = (value: string, previous: string[] = []) => [...previous, value];

interface SetOptions {
  project?: string;
  workspace?: string;
  profiles?: string[];
  maxCost?: number;
  minApproval?: PolicyDto['minApproval'];
  denyTools?: string[];
  ralph?: boolean;
  protect?: string[];
  allowHost?: string[];
}

const describe = (e: PolicyEntryDto) => `${e.scope} ${e.name}: ${JSON.stringify(e.policy)}`;

/** Registers `policy`. */
export function registerPolicy(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('What a workspace or a project allows its agents');
  policy
    .command('set')
    .description('Set (replace) the policy of a workspace or a project')
    .option('--project <name>', 'a project')
    .option('--workspace <name>', 'a workspace')
    .option('--profiles <list>', `allowed profiles, comma-separated (${PROFILES.join(', ')})`, list)
    .option('--max-cost <usd>', 'the largest cost cap a task may have', usd)
    .addOption(new Option('--min-approval <policy>', 'the least approval policy').choices(APPROVAL_POLICIES))
    .option(
      '--deny-tools <list>',
      'tools the agent may not use, comma-separated (mcp__x__* for a prefix)',
      list,
    )
    .option('--no-ralph', 'forbid Ralph loops')
    .option('--protect <glob>', 'a path glob the agent may not change (repeatable)', collect)
    .option(
      '--allow-host <host>',
      "a host the agent's commands may reach: host, host:port, *.domain (repeatable)",
      collect,
    )
    .action(async (opts: SetOptions, cmd: Command) => {
      if ((opts.project === undefined) === (opts.workspace === undefined))
        throw new UsageError('name one of --project or --workspace');
      const bad = opts.profiles?.find((p) => !(PROFILES as readonly string[]).includes(p));
      if (bad) throw new UsageError(`unknown profile ${bad}`);
      const body: PolicyDto = {
        ...(opts.profiles && { allowedProfiles: opts.profiles as PolicyDto['allowedProfiles'] }),
        ...(opts.maxCost !== undefined && { maxCostPerTaskUsd: opts.maxCost }),
        ...(opts.minApproval && { minApproval: opts.minApproval }),
        ...(opts.denyTools && { deniedTools: opts.denyTools }),
        ...(opts.ralph === false && { ralphAllowed: false }),
        ...(opts.protect && { protectedPaths: opts.protect }),
        ...(opts.allowHost && { allowedHosts: opts.allowHost }),
      };
      const { client } = ctx.connect(cmd);
      const scope = opts.project !== undefined ? 'project' : 'workspace';
      ctx.out(
        describe(await client.setPolicy({ scope, name: (opts.project ?? opts.workspace)!, policy: body })),
      );
    });
  policy
    .command('ls')
    .description('List the policies')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const all = await client.policies();
      if (opts.json) return ctx.printJson(all);
      if (all.length === 0) return ctx.out('No policies.');
      for (const e of all) ctx.out(describe(e));
    });
  policy
    .command('rm')
    .description('Remove the policy of a workspace or a project')
    .option('--project <name>', 'a project')
    .option('--workspace <name>', 'a workspace')
    .action(async (opts: { project?: string; workspace?: string }, cmd: Command) => {
      if ((opts.project === undefined) === (opts.workspace === undefined))
        throw new UsageError('name one of --project or --workspace');
      const { client } = ctx.connect(cmd);
      await client.removePolicy(
        opts.project !== undefined ? 'project' : 'workspace',
        (opts.project ?? opts.workspace)!,
      );
      ctx.out('Removed.');
    });
}
