/**
 * `gluon serve [--host 127.0.0.1] [--port 45866]`: runs the server in the foreground until SIGINT/SIGTERM.
 * The one command that runs the server in-process rather than talking to it.
 */
import { InvalidArgumentError, type Command } from 'commander';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
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
      const home = gluonHome();
      const server = await startServer({
        home,
        config: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.port !== undefined ? { port: opts.port } : {}),
        },
      });
      process.stdout.write(`Gluon is serving on ${server.url}\n`);
      process.stdout.write(`Dashboard: ${server.url}/#token=${server.token}\n`);
      process.stdout.write(`Data directory: ${home} (API token in ${home}/token)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('Gluon is stopping…\n');
          void server.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
