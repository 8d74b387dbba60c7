/**
 * The `gluon` command line: builds the commander program, runs one invocation and returns its exit code
 * (0 ok, 1 failure, 2 usage error). Commander never exits the process itself: its errors are mapped here.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerActions } from './commands/actions.js';
import { registerBot } from './commands/bot.js';
import { registerComments } from './commands/comments.js';
import { registerBudget } from './commands/budget.js';
import { registerPolicy } from './commands/policy.js';
import { registerCost } from './commands/cost.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerFormula } from './commands/formula.js';
import { registerLogs } from './commands/logs.js';
import { registerMcp } from './commands/mcp.js';
import { registerMerge } from './commands/merge.js';
import { registerProject } from './commands/project.js';
import { registerReads } from './commands/read.js';
import { registerReview } from './commands/review.js';
import { registerSchedule } from './commands/schedule.js';
import { registerTaskCreate } from './commands/task-create.js';
import { registerWorkers } from './commands/workers.js';
import { registerAudit } from './commands/audit.js';
import { registerUsers } from './commands/users.js';
import { createContext, type CliContext, type CliIo } from './context.js';
import { EXIT_OK, reportError } from './errors.js';

/** Registers a command that needs no context (e.g. `serve`, which runs the server in-process). */
export type RegisterCommand = (program: Command) => void;

/**
 * Builds the program with every client command registered, after the `extra` ones; output goes through
 * `ctx`. `serve` comes in as an extra so that tests of the client commands do not load the server.
 */
export function buildProgram(ctx: CliContext, extra: RegisterCommand[] = []): Command {
  const program = new Command('gluon')
    .description('Run Claude Code agents in parallel, each in its own git worktree.')
    .version(readVersion(), '-V, --version')
    .option('--server <url>', 'Gluon server URL (default: $GLUON_URL or http://127.0.0.1:45866)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.io.stdout.write(text),
      writeErr: (text) => void ctx.io.stderr.write(text),
      // One line: commander puts its "(Did you mean ...?)" hint on a line of its own.
      outputError: (text, write) =>
        write(
          `gluon: ${text
            .replace(/^error: /, '')
            .trimEnd()
            .replace(/\n+/g, ' ')}\n`,
        ),
    });
  for (const register of extra) register(program);
  registerProject(program, ctx);
  registerTaskCreate(program, ctx);
  registerReads(program, ctx);
  registerLogs(program, ctx);
  registerActions(program, ctx);
  registerCost(program, ctx);
  registerBot(program, ctx);
  registerDemo(program);
  registerDb(program, ctx);
  registerFormula(program, ctx);
  registerReview(program, ctx);
  registerComments(program, ctx);
  registerMerge(program, ctx);
  registerMcp(program, ctx);
  registerWorkers(program, ctx);
  registerBudget(program, ctx);
  registerPolicy(program, ctx);
  registerSchedule(program, ctx);
  registerUsers(program, ctx);
  registerAudit(program, ctx);
  return program;
}

/** Runs `gluon <argv...>` (argv without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo, extra: RegisterCommand[] = []): Promise<number> {
  const ctx = createContext(io);
  try {
    await buildProgram(ctx, extra).parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, ctx.err, {
      tokenSource: ctx.config?.tokenSource,
      debug: Boolean(io.env.GLUON_DEBUG),
    });
  }
}

/** The package version, found from the source tree (cli/src) or the build (dist/cli/src). */
function readVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'gluon' && pkg.version) return pkg.version;
    } catch {
      // Not at this depth; try the next one.
    }
  }
  return '0.0.0';
}
