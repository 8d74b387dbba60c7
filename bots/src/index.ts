/**
 * The bots' entry: `startBots` reads the configuration and starts every configured surface (Telegram,
 * Discord) and the notifier that serves them, all as clients of the Gluon HTTP + WebSocket API. `gluon
 * serve` calls it when bots are configured; `gluon bot telegram|discord` calls it for one surface alone.
 */
import { createClient, type GluonClient } from '../../shared/client.js';
import { loadBotsConfig, type BotsConfig, type DiscordConfig, type TelegramConfig } from './config.js';
import { createAccess, type Access } from './core/access.js';
import { createActions, type Actions, type ActionsDeps } from './core/actions.js';
import { createChatClients } from './core/chat-clients.js';
import { createLinks, type Links } from './core/links.js';
import { startNotifier, type Notifier } from './core/notifier.js';
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

/** What every surface is built from: the same access list, links, actions and log follower. */
interface SurfaceParts {
  access: Access;
  links: Links;
  actions: Actions;
  follow: { client: GluonClient; stream: { baseUrl: string; token?: string }; publicUrl: string };
  log: (message: string, error?: unknown) => void;
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
  const client = createClient({ baseUrl: opts.baseUrl, token: opts.token });
  const stream = { baseUrl: opts.baseUrl, token: opts.token };
  let notifier: Notifier | null = null;
  const parts = surfaceParts(opts, config, client, log, (surface, taskId) =>
    notifier?.noteOrigin(surface, taskId),
  );
  const telegramConfig = wanted('telegram') ? config.telegram : null;
  const discordConfig = wanted('discord') ? config.discord : null;
  const telegram = telegramConfig ? telegramBot(telegramConfig, parts) : null;
  const discord = discordConfig ? discordBot(discordConfig, parts) : null;
  const bots = [telegram, discord].filter((b) => b !== null);
  const starting = bots.map((b) => b.start());
  let listener: InteractionsServer | null = null;
  if (discord && discordConfig && opts.listenDiscord) {
    const { host, port } = discordConfig.listen;
    try {
      listener = await startInteractionsServer(discord.handle, host, port);
    } catch (error) {
      // Leave nothing running behind a failed start (the port is taken, say).
      await Promise.all(bots.map((b) => b.stop()));
      throw error;
    }
  }
  const surfaces = bots.map((b) => b.surface);
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
      await Promise.all(bots.map((b) => b.stop()));
    },
  };
}

function surfaceParts(
  opts: StartBotsOptions,
  config: BotsConfig,
  client: GluonClient,
  log: SurfaceParts['log'],
  onTaskCreated: ActionsDeps['onTaskCreated'],
): SurfaceParts {
  const access = createAccess(opts.home, {
    telegram: config.telegram?.users ?? new Set(),
    discord: config.discord?.users ?? new Set(),
  });
  const links = createLinks(opts.home);
  const actions = createActions({
    client,
    clientFor: createChatClients(opts.baseUrl, opts.token),
    links,
    access,
    publicUrl: config.publicUrl,
    onTaskCreated,
    log,
  });
  const follow = {
    client,
    stream: { baseUrl: opts.baseUrl, token: opts.token },
    publicUrl: config.publicUrl,
  };
  return { access, links, actions, follow, log };
}

function telegramBot(config: TelegramConfig, parts: SurfaceParts): TelegramBot {
  return createTelegramBot({
    ...parts,
    token: config.token,
    apiRoot: config.apiRoot,
    notifyChats: config.notifyChats,
    pacing: config.pacing,
    follow: { ...parts.follow, editIntervalMs: config.editIntervalMs, maxFollowMs: config.maxFollowMs },
    webhook: config.webhook,
  });
}

function discordBot(config: DiscordConfig, parts: SurfaceParts): DiscordBot {
  return createDiscordBot({
    ...config,
    ...parts,
    follow: { ...parts.follow, editIntervalMs: config.editIntervalMs, maxFollowMs: config.maxFollowMs },
  });
}
