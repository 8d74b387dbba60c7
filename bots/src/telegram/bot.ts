/**
 * The Telegram bot (grammY): long polling by default, a webhook with a secret token as an option. Every
 * update passes the allowlist first — a stranger gets nothing and causes no API call, except that a valid
 * pairing code sent in a private chat allowlists its sender. Then: commands, button presses, and replies
 * to the bot's task messages (which answer or resume that task).
 */
import { Bot, type Context } from 'grammy';
import type { Access } from '../core/access.js';
import type { Actions } from '../core/actions.js';
import { parseCommand, COMMAND_HELP } from '../core/commands.js';
import { createFollowers } from '../core/followers.js';
import { followLog, type FollowLogOptions } from '../core/live-log.js';
import type { Links } from '../core/links.js';
import type { NotifySurface } from '../core/notifier.js';
import { looksLikePairingCode } from '../core/pairing.js';
import { decodeAction, taskIdIn, type ChatContext, type Reply } from '../core/reply.js';
import { fitHead } from '../core/text.js';
import { chatLogView, sendReply, TELEGRAM_LIMIT } from './messages.js';
import { telegramSurface } from './notify.js';
import { createPacer, type PacingLimits } from './pacer.js';
import { startTelegramWebhook, type TelegramWebhookOptions } from './webhook.js';

export interface TelegramBotOptions {
  token: string;
  /** The Bot API root (GLUON_TELEGRAM_API_ROOT), Telegram's own by default. */
  apiRoot?: string;
  access: Access;
  links: Links;
  actions: Actions;
  /** Where notifications go when the task's project has no linked chat (default: each allowed user). */
  notifyChats: string[];
  pacing: PacingLimits;
  follow: Pick<FollowLogOptions, 'client' | 'stream' | 'publicUrl' | 'editIntervalMs' | 'maxFollowMs'>;
  webhook: TelegramWebhookOptions | null;
  log: (message: string, error?: unknown) => void;
}

export interface TelegramBot {
  surface: NotifySurface;
  /**
   * Starts in the background (Telegram may be unreachable for a while); the promise resolves once updates
   * flow and rejects when Telegram refuses the bot (a wrong token).
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Update ids remembered to drop a redelivered update (webhook retries). */
const SEEN_UPDATES = 1000;
const COMMAND_NAMES = [...COMMAND_HELP.map(([name]) => name), 'start', 'pair'];

export function createTelegramBot(opts: TelegramBotOptions): TelegramBot {
  const bot = new Bot(opts.token, { client: opts.apiRoot ? { apiRoot: opts.apiRoot } : {} });
  bot.api.config.use(createPacer(opts.pacing));
  const followers = createFollowers();
  const seen = new Set<number>();
  let stopWebhook: (() => Promise<void>) | null = null;

  const chatOf = (ctx: Context): ChatContext => ({
    surface: 'telegram',
    chatId: String(ctx.chat?.id ?? ctx.from?.id),
    userId: String(ctx.from?.id),
  });

  const logReplyFailure = (error: unknown) => opts.log('could not send a reply on Telegram', error);

  /** Shows a reply: a live log when it asks for one, else a message (as a reply to `replyTo`). */
  const deliver = async (chat: ChatContext, reply: Reply, replyTo?: number, forceReply = false) => {
    if (reply.followLogs) {
      const follower = followLog({
        ...opts.follow,
        taskId: reply.followLogs,
        view: chatLogView(bot.api, chat.chatId, replyTo),
        limit: TELEGRAM_LIMIT,
        log: opts.log,
      });
      followers.add(`${chat.chatId}:${reply.followLogs}`, follower);
      follower.done.catch((error: unknown) =>
        deliver(chat, { text: `⚠️ ${(error as Error).message}` }, replyTo).catch(logReplyFailure),
      );
      return;
    }
    await sendReply(bot.api, chat.chatId, reply, { replyTo, forceReply });
  };

  bot.use(async (ctx, next) => {
    if (seen.has(ctx.update.update_id)) return;
    seen.add(ctx.update.update_id);
    if (seen.size > SEEN_UPDATES) seen.delete(seen.values().next().value as number);
    await next();
  });

  // The allowlist, before anything else.
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    if (opts.access.isAllowed('telegram', String(from.id))) return next();
    const text = ctx.message?.text?.trim() ?? '';
    const code = text.replace(/^\/(?:start|pair)(?:@\w+)?\s*/i, '');
    if (
      ctx.chat?.type === 'private' &&
      looksLikePairingCode(code) &&
      opts.access.pair('telegram', String(from.id), code)
    )
      await ctx.reply('✅ Paired: this Gluon now serves you here. Send /help for the commands.');
  });

  bot.command(COMMAND_NAMES, async (ctx) => {
    const chat = chatOf(ctx);
    const name = /^\/([A-Za-z_]+)/.exec(ctx.message?.text ?? '')?.[1] ?? '';
    const parsed = parseCommand(name, ctx.match, {
      linked: opts.links.projectOf('telegram', chat.chatId) !== null,
    });
    const reply = parsed.ok ? await opts.actions.run(parsed.command, chat) : { text: `⚠️ ${parsed.error}` };
    await deliver(chat, reply, ctx.message?.message_id);
  });

  bot.on('callback_query:data', async (ctx) => {
    const chat = chatOf(ctx);
    const action = decodeAction(ctx.callbackQuery.data);
    await ctx.answerCallbackQuery();
    if (!action) return;
    const reply = await opts.actions.press(action, chat);
    const message = ctx.callbackQuery.message;
    if (action.kind === 'logs' || action.kind === 'reply' || !message || !('text' in message)) {
      return deliver(chat, reply, message?.message_id, action.kind === 'reply');
    }
    // The buttons have done their job: show the outcome in place of them.
    await bot.api.editMessageText(
      chat.chatId,
      message.message_id,
      fitHead(`${message.text}\n\n${reply.text}`, TELEGRAM_LIMIT),
      {
        link_preview_options: { is_disabled: true },
      },
    );
  });

  bot.on('message:text', async (ctx) => {
    const chat = chatOf(ctx);
    const replied = ctx.message.reply_to_message;
    const taskId = replied?.from?.id === ctx.me.id ? taskIdIn(replied.text) : null;
    if (taskId)
      return deliver(
        chat,
        await opts.actions.replyTo(taskId, ctx.message.text, chat),
        ctx.message.message_id,
      );
    if (ctx.chat.type === 'private')
      await ctx.reply('Send /help for the commands, or reply to a task message.');
  });

  bot.catch((error) =>
    opts.log(`the Telegram bot failed on update ${error.ctx.update.update_id}`, error.error),
  );

  const surface = telegramSurface({
    api: bot.api,
    links: opts.links,
    access: opts.access,
    notifyChats: opts.notifyChats,
    publicUrl: opts.follow.publicUrl,
  });

  const aborter = new AbortController();
  let stopped = false;

  /** Connects (getMe, retried while Telegram is unreachable), then polls or listens; rejects on a refused token. */
  async function run(): Promise<void> {
    // grammY types its own AbortSignal shim; the platform's is what it uses at run time.
    await bot.init(aborter.signal as Parameters<typeof bot.init>[0]);
    await bot.api
      .setMyCommands(COMMAND_HELP.map(([command, , description]) => ({ command, description })))
      .catch((error: unknown) => opts.log('could not set the Telegram command menu', error));
    if (stopped) return;
    if (opts.webhook) {
      stopWebhook = await startTelegramWebhook(bot, opts.webhook);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      bot
        .start({ allowed_updates: ['message', 'callback_query'], onStart: () => resolve() })
        .catch((error: unknown) => {
          if (!stopped) opts.log('Telegram long polling stopped', error);
          reject(error as Error);
        });
    });
  }

  return {
    surface,
    start() {
      const ready = run();
      ready.catch((error: unknown) => {
        if (!stopped) opts.log('the Telegram bot could not start', error);
      });
      return ready;
    },
    async stop() {
      stopped = true;
      aborter.abort();
      await followers.stopAll();
      if (stopWebhook) await stopWebhook();
      else if (bot.isRunning()) await bot.stop();
    },
  };
}
