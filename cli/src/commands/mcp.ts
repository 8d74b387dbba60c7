/**
 * `gluon mcp`: Gluon's tools for another agent (`claude mcp add gluon -- npx gluon mcp`), served over stdio
 * and acting on the server found the usual way (`--server`/`GLUON_URL`, `GLUON_TOKEN` or the data
 * directory's token). Stdout carries the protocol and nothing else; diagnostics go to stderr.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { describeApiError } from '../errors.js';
import { ApiError } from '../../../shared/client.js';

/** Registers `mcp`. */
export function registerMcp(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('Serve Gluon as an MCP server over stdio (for Claude Code and other agents)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, config } = ctx.connect(cmd);
      // Loaded here so that every other command starts without the MCP SDK.
      const { serveStdio } = await import('../../../mcp/src/stdio.js');
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // A server that is down now may be up by the first tool call: say so, and serve anyway.
      void client.health().then(
        () => ctx.err(`gluon mcp: serving the Gluon server at ${config.baseUrl} over stdio`),
        (error: unknown) =>
          ctx.err(
            `gluon mcp: ${error instanceof ApiError ? describeApiError(error, config.tokenSource) : String(error)}`,
          ),
      );
      try {
        await serveStdio({
          client,
          version: cmd.parent?.version() ?? '0.0.0',
          stdin: process.stdin,
          stdout: process.stdout,
          log: (line) => ctx.err(`gluon mcp: ${line}`),
          signal: stop.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
