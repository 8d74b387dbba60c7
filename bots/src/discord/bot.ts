/**
 * The Discord bot: an interactions handler (hosted by `gluon serve` at /integrations/discord/interactions,
 * or by its own listener under `gluon bot discord`), slash commands registered at start, live logs by
 * editing the interaction's reply, and notifications posted to the project's linked channel (or the
 * configured one) through the REST API.
 */
import type { Access } from '../core/access.js';
import type { Actions } from '../core/actions.js';
import { createFollowers } from '../core/followers.js';
import { followLog, type FollowLogOptions } from '../core/live-log.js';
import type { Links } from '../core/links.js';
import { renderNotification } from '../core/render-notification.js';
import type { NotifySurface } from '../core/notifier.js';
import { createInteractionHandler, type InteractionHandler } from './interactions.js';
import { DISCORD_LIMIT, interactionLogView, messageOf } from './messages.js';
import { createDiscordRest } from './rest.js';
import { SLASH_COMMANDS } from './slash-commands.js';
import { createVerifier } from './verify.js';

export interface DiscordBotOptions {
  appId: string;
  publicKey: string;
  botToken: string;
  apiBase: string;
  guilds: ReadonlySet<string>;
  notifyChannel: string | null;
  access: Access;
  links: Links;
  actions: Actions;
  follow: Pick<FollowLogOptions, 'client' | 'stream' | 'publicUrl' | 'editIntervalMs' | 'maxFollowMs'>;
  log: (message: string, error?: unknown) => void;
}

export interface DiscordBot {
  /** The interactions endpoint's logic: raw request in, HTTP answer out. */
  handle: InteractionHandler;
  surface: NotifySurface;
  /** Registers the slash commands in the background; the promise says when (or why not). */
  start(): Promise<void>;
  /** Stops live logs and waits for work still running after an answer. */
  stop(): Promise<void>;
}

export function createDiscordBot(opts: DiscordBotOptions): DiscordBot {
  const rest = createDiscordRest({ apiBase: opts.apiBase, appId: opts.appId, botToken: opts.botToken });
  const followers = createFollowers();
  const running = new Set<Promise<void>>();

  /** Work after the HTTP answer: started on the next turn, so the answer goes out first. */
  const background = (work: () => Promise<void>) => {
    const task: Promise<void> = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => opts.log('a Discord interaction failed after it was answered', error))
      .finally(() => running.delete(task));
    running.add(task);
  };

  const handle = createInteractionHandler({
    verify: createVerifier({ publicKey: opts.publicKey }),
    access: opts.access,
    links: opts.links,
    actions: opts.actions,
    rest,
    guilds: opts.guilds,
    background,
    followLogs(taskId, token, chat) {
      const follower = followLog({
        ...opts.follow,
        taskId,
        view: interactionLogView(rest, token),
        limit: DISCORD_LIMIT,
        log: opts.log,
      });
      followers.add(`${chat.chatId}:${taskId}`, follower);
      follower.done.catch((error: unknown) =>
        background(
          async () =>
            void (await rest.editOriginal(token, messageOf({ text: `⚠️ ${(error as Error).message}` }))),
        ),
      );
    },
  });

  const surface: NotifySurface = {
    name: 'discord',
    async send(n) {
      const linked = opts.links.chatsOf('discord', n.task.project);
      const channels = linked.length ? linked : opts.notifyChannel ? [opts.notifyChannel] : [];
      if (channels.length === 0) {
        opts.log(
          `no Discord channel for notifications of project ${n.task.project} (set GLUON_DISCORD_CHANNEL or /link)`,
        );
        return;
      }
      const message = messageOf(renderNotification(n, opts.follow.publicUrl));
      for (const channel of channels) await rest.createMessage(channel, message);
    },
  };

  return {
    handle,
    surface,
    start() {
      const registered = rest.registerCommands(SLASH_COMMANDS).then(() => undefined);
      registered.catch((error: unknown) => opts.log('could not register the Discord slash commands', error));
      return registered;
    },
    async stop() {
      await followers.stopAll();
      await Promise.all([...running]);
    },
  };
}
