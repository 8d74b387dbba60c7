/** `gluon workers [--json]`: the workers of a fleet on Postgres — name, host, capacity, what runs, last heartbeat. */
import type { Command } from 'commander';
import type { WorkerDto } from '../../../shared/fleet-dto.js';
import type { CliContext } from '../context.js';
import { renderTable, type Style } from '../format.js';

/** Seconds since an ISO time, as "12 s ago". */
function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** The fleet as a table, one worker a line; a line saying so when there is none. */
export function renderWorkers(workers: readonly WorkerDto[], style: Style, now = Date.now()): string[] {
  if (workers.length === 0) return ['No workers (a single-machine Gluon runs its agents in `gluon serve`).'];
  const rows = workers.map((w) => [
    w.name,
    w.host,
    w.status,
    `${w.running.length}/${w.capacity}`,
    w.projects ? w.projects.join(',') : 'all',
    ago(w.heartbeatAt, now),
  ]);
  return renderTable(['NAME', 'HOST', 'STATUS', 'RUNNING', 'PROJECTS', 'HEARTBEAT'], rows, style.dim);
}

/** Registers `workers`. */
export function registerWorkers(program: Command, ctx: CliContext): void {
  program
    .command('workers')
    .description('List the workers of a fleet (Postgres installations)')
    .option('--json', 'print the workers as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const workers = await client.workers();
      if (opts.json) return ctx.printJson(workers);
      for (const l of renderWorkers(workers, ctx.style)) ctx.out(l);
    });
}
