/**
 * Notifications on Telegram: one message per notification, with its buttons, sent to the chats linked to
 * the task's project, else to the configured notification chats, else to each allowed user privately.
 */
import type { Api } from 'grammy';
import type { Access } from '../core/access.js';
import type { Links } from '../core/links.js';
import { renderNotification } from '../core/render-notification.js';
import type { NotifySurface } from '../core/notifier.js';
import { sendReply } from './messages.js';

export interface TelegramSurfaceOptions {
  api: Api;
  links: Links;
  access: Access;
  notifyChats: string[];
  publicUrl: string;
}

/**
 * The Telegram surface of the notifier.
 * Rules: linked chats of the project win; then GLUON_TELEGRAM_CHAT; then every allowed user's private
 * chat; delivery fails (and is retried by the notifier) only when no chat at all got the message.
 */
export function telegramSurface(opts: TelegramSurfaceOptions): NotifySurface {
  return {
    name: 'telegram',
    async send(n) {
      const linked = opts.links.chatsOf('telegram', n.task.project);
      const targets = linked.length
        ? linked
        : opts.notifyChats.length
          ? opts.notifyChats
          : opts.access.users('telegram');
      const reply = renderNotification(n, opts.publicUrl);
      const failures: unknown[] = [];
      for (const chat of targets)
        await sendReply(opts.api, chat, reply).catch((error: unknown) => failures.push(error));
      if (failures.length > 0 && failures.length === targets.length) throw failures[0];
    },
  };
}
