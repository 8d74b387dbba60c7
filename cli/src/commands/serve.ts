/**
 * `gluon serve [--host 127.0.0.1] [--port 45866]`: runs the server in the foreground until SIGINT/SIGTERM,
 * with the chat bots that are configured. The composition root of a serving process: the server knows no
 * chat surface, the bots are clients of its API.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { RunningServer } from '../../../server/src/server.js';
import { writeCodeCache } from '../code-cache.js';
import { CommandFailure } from '../errors.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

/**
 * Starts the chat bots configured for this installation as clients of the server's API on this machine,
 * and hands the server the Discord interactions handler. Without configuration nothing starts, and the bots'
 * code is not even loaded.
 */
async function startConfiguredBots(server: RunningServer, home: string): Promise<{ close(): Promise<void> }> {
  const { botsConfigured } = await import('../../../bots/src/config.js');
  if (!botsConfigured(process.env, home)) return { close: async () => {} };
  const { startBots } = await import('../../../bots/src/index.js');
  const log = (msg: string, err?: unknown) =>
    console.error(`[gluon bots] ${msg}${err ? `: ${(err as Error)?.message ?? String(err)}` : ''}`);
  const bots = await startBots({
    baseUrl: server.localUrl,
    token: server.token,
    env: process.env,
    home,
    log,
  });
  server.setDiscordInteractions(bots.discordInteractions);
  for (const problem of bots.problems) log(problem);
  return bots;
}

/** Registers `gluon serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the Gluon server and dashboard (data in $GLUON_HOME, default ~/.gluon)')
    .option('--host <host>', 'address to bind (loopback by default)')
    .option('--port <port>', 'port to listen on (default 45866)', parsePort)
    .action(async (opts: { host?: string; port?: number }) => {
      // Loaded here so that every other command starts without the server's code.
      const { gluonHome } = await import('../../../server/src/config.js');
      const { startServer } = await import('../../../server/src/server.js');
      const { installProcessGuards, pinYoungGeneration } =
        await import('../../../server/src/process-guards.js');
      installProcessGuards();
      const home = gluonHome();
      const server = await startServer({
        home,
        config: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.port !== undefined ? { port: opts.port } : {}),
        },
      }).catch((err: unknown) => {
        // A damaged config.json, a locked or full database, a port in use: one line, exit 1.
        throw new CommandFailure(`cannot start the server: ${(err as Error)?.message ?? String(err)}`);
      });
      const bots = await startConfiguredBots(server, home);
      process.stdout.write(`Gluon is serving on ${server.url}\n`);
      process.stdout.write(`Dashboard: ${server.url}/#token=${server.token}\n`);
      process.stdout.write(`Data directory: ${home} (API token in ${home}/token)\n`);
      pinYoungGeneration(writeCodeCache);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('Gluon is stopping…\n');
          void bots
            .close()
            .then(() => server.close())
            .then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
