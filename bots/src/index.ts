/**
 * The bots' entry: `startBots` reads the configuration and starts every configured surface (Telegram,
 * Discord) and the notifier that serves them, all as clients of the Gluon HTTP + WebSocket API. `gluon
 * serve` calls it when bots are configured; `gluon bot telegram|discord` calls it for one surface alone.
 */
import { createClient } from '../../shared/client.js';
import { loadBotsConfig } from './config.js';
import { createAccess } from './core/access.js';
import { createActions } from './core/actions.js';
import { createChatClients } from './core/chat-clients.js';
import { createLinks } from './core/links.js';
import { startNotifier, type Notifier, type NotifySurface } from './core/notifier.js';
import type { SurfaceName } from './core/reply.js';
import { createSentStore } from './core/sent-store.js';
import { createDiscordBot, type DiscordBot } from './discord/bot.js';
import { startInteractionsServer, type InteractionsServer } from './discord/http-server.js';
import type { InteractionHandler } from './discord/interactions.js';
import { createTelegramBot, type TelegramBot } from './telegram/bot.js';

export { INTERACTIONS_PATH } from './discord/http-server.js';
export type { InteractionHandler, InteractionRequest, InteractionResponse } from './discord/interactions.js';

export interface StartBotsOptions {
  /** The Gluon server, e.g. `http://127.0.0.1:45866`. */
  baseUrl: string;
  /** Its API token. */
  token?: string;
  env: NodeJS.ProcessEnv;
  /** The data directory (`$GLUON_HOME`): configuration, pairing codes, what was sent. */
  home: string;
  /** Start only these surfaces (default: every configured one). */
  only?: SurfaceName[];
  /** Serve Discord interactions on a listener of our own (`gluon bot discord`); `gluon serve` hosts them itself. */
  listenDiscord?: boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningBots {
  /** The surfaces that started. */
  surfaces: SurfaceName[];
  /**
   * Resolves once every surface is connected (Telegram polling or its webhook set, Discord commands
   * registered); rejects when one was refused (e.g. a wrong token). Starting never blocks on the network.
   */
  ready: Promise<void>;
  /** Configuration problems (the surfaces concerned did not start). */
  problems: string[];
  /** The Discord interactions handler for the server's route; null without Discord. */
  discordInteractions: InteractionHandler | null;
  /** The own listener's interactions URL with `listenDiscord`. */
  discordUrl: string | null;
  close(): Promise<void>;
}

/** Starts the configured bots and their notifier; `close()` stops them all. */
export async function startBots(opts: StartBotsOptions): Promise<RunningBots> {
  const log =
    opts.log ??
    ((m: string, e?: unknown) =>
      console.error(`[gluon bots] ${m}${e ? `: ${(e as Error)?.message ?? String(e)}` : ''}`));
  const config = loadBotsConfig({ env: opts.env, home: opts.home, baseUrl: opts.baseUrl });
  for (const problem of config.problems) log(`configuration: ${problem}`);
  const wanted = (name: SurfaceName) => !opts.only || opts.only.includes(name);
  const telegramConfig = wanted('telegram') ? config.telegram : null;
  const discordConfig = wanted('discord') ? config.discord : null;
  const client = createClient({ baseUrl: opts.baseUrl, token: opts.token });
  const stream = { baseUrl: opts.baseUrl, token: opts.token };
  const access = createAccess(opts.home, {
    telegram: config.telegram?.users ?? new Set(),
    discord: config.discord?.users ?? new Set(),
  });
  const links = createLinks(opts.home);
  let notifier: Notifier | null = null;
  const actions = createActions({
    client,
    clientFor: createChatClients(opts.baseUrl, opts.token),
    links,
    access,
    publicUrl: config.publicUrl,
    onTaskCreated: (surface, taskId) => notifier?.noteOrigin(surface, taskId),
    log,
  });
  const follow = { client, stream, publicUrl: config.publicUrl };

  let telegram: TelegramBot | null = null;
  let discord: DiscordBot | null = null;
  let listener: InteractionsServer | null = null;
  const surfaces: NotifySurface[] = [];
  const starting: Promise<void>[] = [];
  if (telegramConfig) {
    telegram = createTelegramBot({
      token: telegramConfig.token,
      apiRoot: telegramConfig.apiRoot,
      access,
      links,
      actions,
      notifyChats: telegramConfig.notifyChats,
      pacing: telegramConfig.pacing,
      follow: {
        ...follow,
        editIntervalMs: telegramConfig.editIntervalMs,
        maxFollowMs: telegramConfig.maxFollowMs,
      },
      webhook: telegramConfig.webhook,
      log,
    });
    starting.push(telegram.start());
    surfaces.push(telegram.surface);
  }
  if (discordConfig) {
    discord = createDiscordBot({
      ...discordConfig,
      access,
      links,
      actions,
      follow: {
        ...follow,
        editIntervalMs: discordConfig.editIntervalMs,
        maxFollowMs: discordConfig.maxFollowMs,
      },
      log,
    });
    starting.push(discord.start());
    if (opts.listenDiscord) {
      const { host, port } = discordConfig.listen;
      try {
        listener = await startInteractionsServer(discord.handle, host, port);
      } catch (error) {
        // Leave nothing running behind a failed start (the port is taken, say).
        await Promise.all([telegram?.stop(), discord.stop()]);
        throw error;
      }
    }
    surfaces.push(discord.surface);
  }
  if (surfaces.length > 0) {
    notifier = startNotifier({
      client,
      stream,
      surfaces,
      store: createSentStore(opts.home),
      escalateAfterMs: config.escalateAfterMs,
      log,
    });
  }

  const ready = Promise.all(starting).then(() => undefined);
  ready.catch(() => undefined); // reported through `log`; callers may also await it
  return {
    surfaces: surfaces.map((s) => s.name),
    ready,
    problems: config.problems,
    discordInteractions: discord?.handle ?? null,
    discordUrl: listener?.url ?? null,
    async close() {
      notifier?.close();
      await listener?.close();
      await Promise.all([telegram?.stop(), discord?.stop()]);
    },
  };
}
