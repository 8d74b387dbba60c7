/**
 * The fake Telegram Bot API's memory: users and chats, every message in every chat (the bot's as it
 * edits them), the update queue that long polling drains, and what each method checks (size limits,
 * "not modified", button data). Kept apart from the HTTP layer so the rules read on their own.
 */

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from: TgUser;
  text: string;
  entities?: { type: string; offset: number; length: number }[];
  reply_to_message?: TgMessage;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][]; force_reply?: boolean };
  edit_date?: number;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: { id: string; from: TgUser; message: TgMessage; chat_instance: string; data: string };
}

/** A Bot API error answer: `{ ok: false, error_code, description, parameters? }`. */
export class TgError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

export const TEXT_LIMIT = 4096;

const now = () => Math.floor(Date.now() / 1000);

export function createTelegramState(bot: TgUser) {
  const chats = new Map<number, { chat: TgChat; messages: TgMessage[]; nextId: number }>();
  const updates: TgUpdate[] = [];
  let nextUpdateId = 1;
  let confirmedBelow = 0;
  const waiters = new Set<() => void>();

  const chatFor = (chat: TgChat) => {
    let entry = chats.get(chat.id);
    if (!entry) chats.set(chat.id, (entry = { chat, messages: [], nextId: 1 }));
    return entry;
  };
  const findChat = (chatId: unknown) => {
    const entry = chats.get(Number(chatId));
    if (!entry) throw new TgError(400, 'Bad Request: chat not found');
    return entry;
  };
  const checkText = (text: unknown) => {
    if (typeof text !== 'string' || text.trim() === '')
      throw new TgError(400, 'Bad Request: message text is empty');
    if (text.length > TEXT_LIMIT) throw new TgError(400, 'Bad Request: message is too long');
    return text;
  };
  const checkMarkup = (markup: unknown): TgMessage['reply_markup'] => {
    const rows = (markup as TgMessage['reply_markup'])?.inline_keyboard ?? [];
    for (const button of rows.flat()) {
      if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
        throw new TgError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
    return markup as TgMessage['reply_markup'];
  };
  const push = (update: Omit<TgUpdate, 'update_id'>) => {
    const full = { update_id: nextUpdateId++, ...update };
    updates.push(full);
    for (const wake of waiters) wake();
    return full;
  };

  return {
    chats,
    waiters,
    /** A chat the bot may write to (a user who once started the bot, a group it is in). */
    addChat: (chat: TgChat) => void chatFor(chat),
    /** A message from a user (a command gets its bot_command entity, as Telegram adds). */
    userMessage(from: TgUser, chat: TgChat, text: string, replyTo?: number) {
      const entry = chatFor(chat);
      const command = /^\/\S+/.exec(text)?.[0];
      const message: TgMessage = {
        message_id: entry.nextId++,
        date: now(),
        chat,
        from,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      };
      const original =
        replyTo === undefined ? undefined : entry.messages.find((m) => m.message_id === replyTo);
      if (original) message.reply_to_message = original;
      entry.messages.push(message);
      return push({ message });
    },
    /** A press on an inline button of one of the bot's messages. */
    buttonPress(from: TgUser, chatId: number, messageId: number, data: string) {
      const message = findChat(chatId).messages.find((m) => m.message_id === messageId);
      if (!message) throw new Error(`no message ${messageId} in chat ${chatId}`);
      return push({
        callback_query: { id: String(nextUpdateId), from, message, chat_instance: String(chatId), data },
      });
    },
    /** Pending updates from `offset` on (earlier ones count as confirmed and are dropped). */
    takeUpdates(offset: number, limit: number): TgUpdate[] {
      confirmedBelow = Math.max(confirmedBelow, offset);
      while (updates.length && updates[0]!.update_id < confirmedBelow) updates.shift();
      return updates.slice(0, limit);
    },
    sendMessage(p: Record<string, unknown>): TgMessage {
      const entry = findChat(p.chat_id);
      const replyTo = (p.reply_parameters as { message_id?: number } | undefined)?.message_id;
      const message: TgMessage = {
        message_id: entry.nextId++,
        date: now(),
        chat: entry.chat,
        from: bot,
        text: checkText(p.text),
        ...(p.reply_markup ? { reply_markup: checkMarkup(p.reply_markup) } : {}),
      };
      const original = entry.messages.find((m) => m.message_id === replyTo);
      if (original) message.reply_to_message = original;
      entry.messages.push(message);
      return message;
    },
    editMessageText(p: Record<string, unknown>): TgMessage {
      const message = findChat(p.chat_id).messages.find((m) => m.message_id === Number(p.message_id));
      if (!message || message.from.id !== bot.id)
        throw new TgError(400, 'Bad Request: message to edit not found');
      const text = checkText(p.text);
      const markup = p.reply_markup ? checkMarkup(p.reply_markup) : undefined;
      if (text === message.text && JSON.stringify(markup) === JSON.stringify(message.reply_markup))
        throw new TgError(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same',
        );
      message.text = text;
      message.edit_date = now();
      if (markup) message.reply_markup = markup;
      else delete message.reply_markup;
      return message;
    },
  };
}

export type TelegramState = ReturnType<typeof createTelegramState>;
