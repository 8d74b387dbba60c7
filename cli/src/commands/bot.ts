/**
 * `gluon bot telegram|discord`: runs one chat bot alone (in the foreground, until Ctrl-C) as a client of a
 * running Gluon server; `gluon bot link`: prints a one-time pairing code (valid 10 minutes) that a user
 * sends to a bot to be allowlisted. Bots started with `gluon serve` need neither.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { gluonHome } from '../config.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

type Surface = 'telegram' | 'discord';

const CONFIG_HINT: Record<Surface, string> = {
  telegram: 'set GLUON_TELEGRAM_TOKEN and GLUON_TELEGRAM_USERS (or the "bots" section of config.json)',
  discord:
    'set GLUON_DISCORD_APP_ID, GLUON_DISCORD_PUBLIC_KEY, GLUON_DISCORD_BOT_TOKEN and GLUON_DISCORD_USERS (or the "bots" section of config.json)',
};

function parsePort(value: string): string {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return String(port);
}

/** Registers `bot` and its subcommands. */
export function registerBot(program: Command, ctx: CliContext): void {
  const bot = program.command('bot').description('Run a chat bot alone, or pair a chat user with this Gluon');
  bot
    .command('telegram')
    .description('Run the Telegram bot (long polling, or the webhook when configured) until Ctrl-C')
    .action((_opts: object, cmd: Command) => runBot(ctx, cmd, 'telegram', {}));
  bot
    .command('discord')
    .description('Run the Discord bot and its interactions endpoint until Ctrl-C')
    .option('--host <host>', 'address the interactions endpoint binds (default 127.0.0.1)')
    .option('--port <port>', 'port of the interactions endpoint (default 45869)', parsePort)
    .action((opts: { host?: string; port?: string }, cmd: Command) =>
      runBot(ctx, cmd, 'discord', {
        ...(opts.host ? { GLUON_DISCORD_HOST: opts.host } : {}),
        ...(opts.port ? { GLUON_DISCORD_PORT: opts.port } : {}),
      }),
    );
  bot
    .command('link')
    .description('Print a one-time pairing code (valid 10 minutes) to send to a bot')
    .option('--json', 'print the code as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { createPairingCode } = await import('../../../bots/src/core/pairing.js');
      const { code, expiresAt } = createPairingCode(gluonHome(ctx.io.env));
      if (opts.json) return ctx.printJson({ code, expiresAt: expiresAt.toISOString() });
      ctx.out(
        `Pairing code: ${ctx.style.bold(code)} (one use, valid until ${expiresAt.toLocaleTimeString()})`,
      );
      ctx.out(`Telegram: send the bot "/start ${code}" in a private chat.`);
      ctx.out(`Discord:  use "/pair code:${code}".`);
    });
}

/** Starts one surface and keeps it running until SIGINT/SIGTERM. */
async function runBot(ctx: CliContext, cmd: Command, surface: Surface, extraEnv: NodeJS.ProcessEnv) {
  const { client, config } = ctx.connect(cmd);
  await client.health();
  // Loaded here so that every other command starts without the bots' code.
  const { startBots } = await import('../../../bots/src/index.js');
  const bots = await startBots({
    baseUrl: config.baseUrl,
    token: config.token,
    env: { ...ctx.io.env, ...extraEnv },
    home: gluonHome(ctx.io.env),
    only: [surface],
    listenDiscord: true,
    log: (message, error) =>
      ctx.err(`gluon bot: ${message}${error ? `: ${(error as Error)?.message ?? String(error)}` : ''}`),
  });
  if (!bots.surfaces.includes(surface)) {
    await bots.close();
    const problems = bots.problems.length ? ` (${bots.problems.join('; ')})` : '';
    throw new UsageError(`the ${surface} bot is not configured: ${CONFIG_HINT[surface]}${problems}`);
  }
  try {
    await bots.ready;
  } catch (error) {
    await bots.close();
    throw new Error(`the ${surface} bot could not connect: ${(error as Error).message}`);
  }
  const where = bots.discordUrl ? `; Discord interactions endpoint: ${bots.discordUrl}` : '';
  ctx.out(`The ${surface} bot is running for ${config.baseUrl}${where}. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  ctx.out(`The ${surface} bot is stopping…`);
  await bots.close();
}
