/**
 * `gluon schedule add --cron "0 7 * * 1-5" --project P <prompt…>`, `schedule list`, `show`, `pause`,
 * `resume`, `rm` and `run`: prompts that become tasks on a cron line (the server's time zone).
 */
import { Option, type Command } from 'commander';
import { AGENT_NAMES, PROFILES, type AgentName, type Profile } from '../../../shared/api.js';
import type { ScheduleDto } from '../../../shared/intake-api.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable, type Style } from '../format.js';
import { parseUsd } from '../parse.js';

/** A cron line of five fields (the server checks the rest). */
export function parseCronLine(value: string): string {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5 || fields.some((f) => !/^[\d*,/\-A-Za-z?LW#]+$/.test(f)))
    throw new UsageError(`--cron takes five fields (minute hour day month weekday), e.g. "0 7 * * 1-5"`);
  return fields.join(' ');
}

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') : '—');

/** Schedules as a table, one a line; a line saying so when there is none. */
export function renderSchedules(list: readonly ScheduleDto[], style: Style): string[] {
  if (list.length === 0)
    return ['No schedules. Add one with `gluon schedule add --cron … --project … <prompt>`.'];
  const rows = list.map((s) => [
    s.id,
    s.project,
    s.cron,
    s.status === 'paused' ? `paused (${s.failures} failed)` : s.status,
    when(s.nextRunAt),
    s.prompt.split('\n')[0]!.slice(0, 50),
  ]);
  return renderTable(['ID', 'PROJECT', 'CRON', 'STATUS', 'NEXT RUN', 'PROMPT'], rows, style.dim);
}

/** One schedule and its runs (newest first). */
export function renderSchedule(s: ScheduleDto, style: Style): string[] {
  const lines = [
    `${style.bold(s.id)}  ${s.cron}  ${s.status}${s.pausedReason ? ` — ${s.pausedReason}` : ''}`,
    `project ${s.project} · next ${when(s.nextRunAt)} · last ${when(s.lastRunAt)} · failures in a row ${s.failures}`,
    `prompt: ${s.prompt}`,
  ];
  if (!s.runs?.length) return [...lines, style.dim('no runs yet')];
  return [
    ...lines,
    'runs:',
    ...s.runs.map((r) =>
      `  ${when(r.dueAt)}  ${r.taskId}  ${r.status ?? 'gone'}  ${r.outcome ?? ''}  ${r.title}`.trimEnd(),
    ),
  ];
}

interface AddOptions {
  cron: string;
  project: string;
  title?: string;
  profile?: Profile;
  agent?: AgentName;
  maxCost?: number;
  json?: boolean;
}

/** Registers `schedule` and its subcommands. */
export function registerSchedule(program: Command, ctx: CliContext): void {
  const schedule = program.command('schedule').description('Prompts that become tasks on a cron line');
  schedule
    .command('add')
    .description('Add a schedule: the prompt becomes a task each time the cron line is due')
    .requiredOption('--cron <line>', 'five fields: minute hour day month weekday, e.g. "0 7 * * 1-5"')
    .requiredOption('--project <name>', 'the project its tasks run in')
    .option('--title <title>', 'the title of its tasks')
    .addOption(new Option('--profile <profile>', 'the profile of its tasks').choices(PROFILES))
    .addOption(new Option('--agent <agent>', 'the agent of its tasks').choices(AGENT_NAMES))
    .option('--max-cost <usd>', 'cost cap of each task', parseUsd)
    .option('--json', 'print the schedule as JSON')
    .argument('<prompt...>', 'what each task is asked')
    .action(async (words: string[], opts: AddOptions, cmd: Command) => {
      const prompt = words.join(' ').trim();
      if (!prompt) throw new UsageError('the prompt is empty');
      const cron = parseCronLine(opts.cron);
      const { client } = ctx.connect(cmd);
      const created = await client.addSchedule({
        project: opts.project,
        cron,
        prompt,
        ...(opts.title !== undefined && { title: opts.title }),
        ...(opts.profile !== undefined && { profile: opts.profile }),
        ...(opts.agent !== undefined && { agent: opts.agent }),
        ...(opts.maxCost !== undefined && { maxCostUsd: opts.maxCost }),
      });
      if (opts.json) return ctx.printJson(created);
      ctx.out(created.id);
      ctx.err(ctx.style.dim(`schedule ${created.id}: ${created.cron}, next run ${when(created.nextRunAt)}`));
    });
  schedule
    .command('list')
    .description('List the schedules')
    .option('--json', 'print the schedules as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await ctx.connect(cmd).client.listSchedules();
      if (opts.json) return ctx.printJson(list);
      for (const l of renderSchedules(list, ctx.style)) ctx.out(l);
    });
  schedule
    .command('show')
    .description('Show a schedule and its runs')
    .argument('<id>', 'schedule id or unique prefix')
    .option('--json', 'print the schedule as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const s = await ctx.connect(cmd).client.getSchedule(id);
      if (opts.json) return ctx.printJson(s);
      for (const l of renderSchedule(s, ctx.style)) ctx.out(l);
    });
  const act = (name: string, description: string, run: (id: string, cmd: Command) => Promise<string>) =>
    schedule
      .command(name)
      .description(description)
      .argument('<id>', 'schedule id or unique prefix')
      .action(async (id: string, _opts: unknown, cmd: Command) => ctx.out(await run(id, cmd)));
  act('pause', 'Pause a schedule (it makes no task until resumed)', async (id, cmd) => {
    const s = await ctx.connect(cmd).client.pauseSchedule(id);
    return `paused schedule ${s.id}`;
  });
  act('resume', 'Resume a paused schedule (its failures are forgotten)', async (id, cmd) => {
    const s = await ctx.connect(cmd).client.resumeSchedule(id);
    return `resumed schedule ${s.id}, next run ${when(s.nextRunAt)}`;
  });
  act('rm', 'Remove a schedule (the tasks it made stay)', async (id, cmd) => {
    const s = await ctx.connect(cmd).client.removeSchedule(id);
    return `removed schedule ${s.id}`;
  });
  act('run', 'Run a schedule once now; prints the id of its task', async (id, cmd) => {
    const task = await ctx.connect(cmd).client.runSchedule(id);
    return task.id;
  });
}
