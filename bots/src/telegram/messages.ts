/**
 * Replies as Telegram messages: plain text (no parse mode, so agent text is never read as markup) fitted
 * to 4,096 characters, buttons as an inline keyboard, link previews off; and the live-log view that sends
 * one message and then edits it.
 */
import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { LogView } from '../core/live-log.js';
import { encodeAction, type Reply } from '../core/reply.js';
import { fitHead } from '../core/text.js';

/** Telegram's limit on a message's text. */
export const TELEGRAM_LIMIT = 4096;

/** The inline keyboard of a reply's buttons (none when it has none). */
export function keyboardOf(reply: Pick<Reply, 'buttons'>): InlineKeyboard | undefined {
  if (!reply.buttons?.length) return undefined;
  const keyboard = new InlineKeyboard();
  for (const row of reply.buttons) {
    for (const button of row) keyboard.text(button.label, encodeAction(button.action));
    keyboard.row();
  }
  return keyboard;
}

/** Sends a reply to a chat, optionally as a reply to one of its messages; resolves with the message id. */
export async function sendReply(
  api: Api,
  chatId: number | string,
  reply: Reply,
  options: { replyTo?: number; forceReply?: boolean } = {},
): Promise<number> {
  const keyboard = keyboardOf(reply);
  const message = await api.sendMessage(chatId, fitHead(reply.text, TELEGRAM_LIMIT), {
    link_preview_options: { is_disabled: true },
    ...(options.replyTo
      ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
      : {}),
    ...(keyboard
      ? { reply_markup: keyboard }
      : options.forceReply
        ? { reply_markup: { force_reply: true as const, selective: true } }
        : {}),
  });
  return message.message_id;
}

/** A live log in a chat: the first show sends a message, the next ones edit it. */
export function chatLogView(api: Api, chatId: number | string, replyTo?: number): LogView {
  let messageId: number | undefined;
  return {
    async show(text) {
      if (messageId === undefined) {
        messageId = await sendReply(api, chatId, { text }, { replyTo });
        return;
      }
      try {
        await api.editMessageText(chatId, messageId, text, { link_preview_options: { is_disabled: true } });
      } catch (error) {
        // The same text again is not an error worth reporting; anything else is.
        if (!(error instanceof GrammyError && /not modified/i.test(error.description))) throw error;
      }
    },
  };
}
