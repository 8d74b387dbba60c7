/**
 * `gluon worker --database URL --name NAME [--capacity N] [--projects a,b]`: runs agents for a fleet
 * sharing one Postgres database, in the foreground until SIGINT/SIGTERM (then it hands its tasks over).
 * Its data (clones, worktrees, the agents' home) is in $GLUON_HOME. It serves nothing. A composition root
 * like `serve`: the one place besides it that loads the server's code.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { writeCodeCache } from '../code-cache.js';

function parseCapacity(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('a capacity is a whole number from 1 to 64');
  return n;
}

function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('name at least one project');
  return items;
}

/** Registers `gluon worker`. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run agents for a Gluon fleet on Postgres (data in $GLUON_HOME)')
    .option('--database <url>', 'the shared Postgres database (default: $GLUON_DATABASE_URL)')
    .requiredOption('--name <name>', 'this worker’s name, unique in the fleet')
    .option('--capacity <n>', 'agents run at once (default 2)', parseCapacity, 2)
    .option('--projects <a,b>', 'only these projects (names or ids); default: every project', parseList)
    .action(async (opts: { database?: string; name: string; capacity: number; projects?: string[] }) => {
      const { gluonHome } = await import('../../../server/src/config.js');
      const { startWorker, WORKER_NAME } = await import('../../../server/src/worker.js');
      const { installProcessGuards, pinYoungGeneration } =
        await import('../../../server/src/process-guards.js');
      const { UsageError } = await import('../errors.js');
      if (!WORKER_NAME.test(opts.name))
        throw new UsageError('a worker name is 1–64 letters, digits, dots, dashes or underscores');
      const url = opts.database ?? process.env.GLUON_DATABASE_URL;
      if (!url || !/^postgres(ql)?:\/\//.test(url))
        throw new UsageError(
          'a worker needs the fleet’s Postgres database: --database postgres://… or GLUON_DATABASE_URL',
        );
      installProcessGuards();
      const home = gluonHome();
      let worker;
      try {
        worker = await startWorker({
          home,
          name: opts.name,
          capacity: opts.capacity,
          projects: opts.projects,
          config: { database: { url } },
        });
      } catch (err) {
        const { CommandFailure } = await import('../errors.js');
        throw new CommandFailure(`worker ${opts.name} could not start: ${(err as Error).message}`);
      }
      process.stdout.write(
        `Gluon worker ${opts.name} runs up to ${opts.capacity} agents (data in ${home})\n`,
      );
      pinYoungGeneration(writeCodeCache);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write(`Gluon worker ${opts.name} is stopping and handing its tasks over…\n`);
          worker.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
