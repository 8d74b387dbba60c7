/** `gluon project add <path>`, `gluon project set <name>` and `gluon project ls`. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { MERGE_METHODS, type MergeMethod } from '../../../shared/api.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { parseUsd, parseUsdOrNone } from '../parse.js';
import { renderProjectTable } from '../format-task.js';

const TRUST_HELP =
  "let agents load the repository's own .claude settings, commands and CLAUDE.md (its hooks run shell commands)";
const TRUSTED_NOTE =
  "agents load this repository's own .claude settings: its hooks run on this machine, its permissions apply";
const UNTRUSTED_NOTE = "agents ignore this repository's own .claude settings";
const AUTOFIX_HELP =
  "review comments, '@gluon …' comments and failed checks on a task's pull request resume its agent";
const autofixOption = () => new Option('--pr-autofix <on|off>', AUTOFIX_HELP).choices(['on', 'off']);
const autofixNote = (p: { prAutofix: boolean; prAutofixCapUsd: number }) =>
  p.prAutofix
    ? `pull requests fix themselves: up to $${p.prAutofixCapUsd} of auto-resumes per pull request`
    : 'pull requests do not resume agents by themselves';

/** How `gluon merge` treats the project's tasks (`project set`). */
interface MergeFlags {
  verify?: string;
  mergeMethod?: MergeMethod;
}
const VERIFY_OPTION = new Option(
  '--verify <command>',
  'what `gluon merge` runs on each rebased task before it lands, or none',
);
const MERGE_METHOD_OPTION = new Option('--merge-method <method>', 'how `gluon merge` lands a task').choices([
  ...MERGE_METHODS,
]);
const mergeSettings = (o: MergeFlags) => ({
  ...(o.verify !== undefined && { verify: o.verify === 'none' ? null : o.verify }),
  ...(o.mergeMethod !== undefined && { mergeMethod: o.mergeMethod }),
});

/** Registers the `project` command group. */
export function registerProject(program: Command, ctx: CliContext): void {
  const project = program.command('project').description('Manage the git repositories tasks run against');
  registerProjectAdd(project, ctx);
  registerProjectSet(project, ctx);

  project
    .command('ls')
    .description('List projects')
    .option('--json', 'print the projects as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const projects = await client.listProjects();
      if (opts.json) return ctx.printJson(projects);
      for (const line of renderProjectTable(projects, ctx.style)) ctx.out(line);
    });
}

/** `gluon project add <path>`. */
function registerProjectAdd(project: Command, ctx: CliContext): void {
  project
    .command('add')
    .description('Register a local git repository as a project')
    .argument('<path>', 'path to the repository (relative to the current directory)')
    .option('--name <name>', 'project name (default: the directory name)')
    .option('--workspace <workspace>', 'workspace to group it in')
    .option('--github <owner/repo>', 'GitHub repository for pull requests')
    .addOption(
      new Option('--uncommitted <policy>', 'what tasks do with uncommitted changes in your checkout').choices(
        ['ignore', 'snapshot', 'autocommit'],
      ),
    )
    .option(
      '--include <glob>',
      'untracked files to copy into worktrees (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--max-cost-day <usd>', "cap on the project's spend per day", parseUsd)
    .option('--max-cost-month <usd>', "cap on the project's spend per month", parseUsd)
    .option('--issue-label <label>', 'GitHub issues with this label become tasks of the project')
    .addOption(autofixOption())
    .option(
      '--pr-autofix-cap <usd>',
      'cost cap of the auto-resumes of one pull request (default 5)',
      parseUsd,
    )
    .option('--trust-repo-settings', TRUST_HELP)
    .option('--json', 'print the project as JSON')
    .action(
      async (
        path: string,
        opts: {
          name?: string;
          workspace?: string;
          github?: string;
          uncommitted?: string;
          include?: string[];
          maxCostDay?: number;
          maxCostMonth?: number;
          trustRepoSettings?: boolean;
          issueLabel?: string;
          prAutofix?: 'on' | 'off';
          prAutofixCap?: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const { client } = ctx.connect(cmd);
        const created = await client.addProject({
          ...(opts.prAutofix !== undefined && { prAutofix: opts.prAutofix === 'on' }),
          ...(opts.prAutofixCap !== undefined && { prAutofixCapUsd: opts.prAutofixCap }),
          ...(opts.issueLabel !== undefined && { issueLabel: opts.issueLabel }),
          ...(opts.trustRepoSettings && { trustRepoSettings: true }),
          path: resolve(ctx.io.cwd, path),
          ...(opts.name !== undefined && { name: opts.name }),
          ...(opts.workspace !== undefined && { workspace: opts.workspace }),
          ...(opts.github !== undefined && { github: opts.github }),
          ...(opts.uncommitted !== undefined && {
            uncommittedPolicy: opts.uncommitted as 'ignore' | 'snapshot' | 'autocommit',
          }),
          ...(opts.include !== undefined && { worktreeInclude: opts.include }),
          ...(opts.maxCostDay !== undefined && { maxCostPerDayUsd: opts.maxCostDay }),
          ...(opts.maxCostMonth !== undefined && { maxCostPerMonthUsd: opts.maxCostMonth }),
        });
        if (opts.json) return ctx.printJson(created);
        const remote = created.remote ? `, remote ${created.remote}` : '';
        ctx.out(
          `added project ${ctx.style.bold(created.name)} (workspace ${created.workspace}): ${created.path}`,
        );
        ctx.out(ctx.style.dim(`default branch ${created.defaultBranch}${remote}`));
        if (created.trustRepoSettings) ctx.out(ctx.style.yellow(TRUSTED_NOTE));
        if (created.prAutofix) ctx.out(autofixNote(created));
      },
    );
}

/** `gluon project set <name>`. */
function registerProjectSet(project: Command, ctx: CliContext): void {
  project
    .command('set')
    .description("Change a project's settings (use `none` to remove a cap or the GitHub repository)")
    .argument('<name>', 'project name or id')
    .option('--github <owner/repo>', 'GitHub repository for pull requests, or none')
    .addOption(
      new Option('--uncommitted <policy>', 'what tasks do with uncommitted changes in your checkout').choices(
        ['ignore', 'snapshot', 'autocommit'],
      ),
    )
    .option(
      '--include <glob>',
      'untracked files to copy into worktrees (repeatable; replaces the list)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--max-cost-day <usd>', "cap on the project's spend per day, or none", parseUsdOrNone)
    .option('--max-cost-month <usd>', "cap on the project's spend per month, or none", parseUsdOrNone)
    .option('--issue-label <label>', 'GitHub issues with this label become tasks, or none')
    .addOption(VERIFY_OPTION)
    .addOption(MERGE_METHOD_OPTION)
    .addOption(autofixOption())
    .option(
      '--pr-autofix-cap <usd>',
      'cost cap of the auto-resumes of one pull request, or none (the default, 5)',
      parseUsdOrNone,
    )
    .option('--trust-repo-settings', TRUST_HELP)
    .option('--no-trust-repo-settings', "stop loading the repository's own .claude settings (the default)")
    .option('--json', 'print the project as JSON')
    .action(
      async (
        name: string,
        opts: {
          github?: string;
          uncommitted?: string;
          include?: string[];
          maxCostDay?: number | 'none';
          maxCostMonth?: number | 'none';
          trustRepoSettings?: boolean;
          issueLabel?: string;
          prAutofix?: 'on' | 'off';
          prAutofixCap?: number | 'none';
          json?: boolean;
        } & MergeFlags,
        cmd: Command,
      ) => {
        const body = {
          ...mergeSettings(opts),
          ...(opts.prAutofix !== undefined && { prAutofix: opts.prAutofix === 'on' }),
          ...(opts.prAutofixCap !== undefined && {
            prAutofixCapUsd: opts.prAutofixCap === 'none' ? null : opts.prAutofixCap,
          }),
          ...(opts.issueLabel !== undefined && {
            issueLabel: opts.issueLabel === 'none' ? null : opts.issueLabel,
          }),
          ...(opts.github !== undefined && { github: opts.github === 'none' ? null : opts.github }),
          ...(opts.uncommitted !== undefined && {
            uncommittedPolicy: opts.uncommitted as 'ignore' | 'snapshot' | 'autocommit',
          }),
          ...(opts.include !== undefined && { worktreeInclude: opts.include }),
          ...(opts.trustRepoSettings !== undefined && { trustRepoSettings: opts.trustRepoSettings }),
          ...(opts.maxCostDay !== undefined && {
            maxCostPerDayUsd: opts.maxCostDay === 'none' ? null : opts.maxCostDay,
          }),
          ...(opts.maxCostMonth !== undefined && {
            maxCostPerMonthUsd: opts.maxCostMonth === 'none' ? null : opts.maxCostMonth,
          }),
        };
        if (Object.keys(body).length === 0)
          throw new UsageError('nothing to change: give at least one option');
        const { client } = ctx.connect(cmd);
        const updated = await client.updateProject(name, body);
        if (opts.json) return ctx.printJson(updated);
        const cap = (v: number | null) => (v === null ? 'none' : `$${v}`);
        ctx.out(
          `updated project ${ctx.style.bold(updated.name)}: caps ${cap(updated.maxCostPerDayUsd)}/day, ${cap(updated.maxCostPerMonthUsd)}/month`,
        );
        if (opts.trustRepoSettings !== undefined)
          ctx.out(updated.trustRepoSettings ? ctx.style.yellow(TRUSTED_NOTE) : UNTRUSTED_NOTE);
        if (opts.prAutofix !== undefined || opts.prAutofixCap !== undefined) ctx.out(autofixNote(updated));
      },
    );
}
