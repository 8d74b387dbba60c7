/**
 * A fake Telegram Bot API on a real HTTP port (127.0.0.1) that grammY talks to through its `apiRoot`:
 * `POST /bot<token>/<method>` with JSON, answered `{ ok, result }` or `{ ok: false, error_code, … }`.
 * It long-polls `getUpdates`, keeps every chat's messages (edits included), refuses texts over 4,096
 * characters, and — when `chatIntervalMs` is set — answers 429 with `retry_after` to a chat written to
 * faster than that, as Telegram does. Tests drive it as users (messages, replies, button presses) and
 * read what the bot sent from `calls` and `messages(chatId)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, pathOf, readBody, sendJson } from '../shared/http.js';
import { pollUntil } from '../shared/poll.js';
import { createTelegramState, TgError, type TgChat, type TgMessage, type TgUser } from './state.js';

export interface FakeTelegramOptions {
  token?: string;
  /** Minimum time between two messages or edits in one chat; 0 (default) = no limit. */
  chatIntervalMs?: number;
}

export interface RecordedCall {
  at: number;
  method: string;
  payload: Record<string, unknown>;
  /** 200, or the error code answered (400, 401, 404, 409, 429…). */
  status: number;
  description?: string;
}

export interface FakeTelegram {
  /** The `apiRoot` to give grammY (no trailing slash). */
  apiRoot: string;
  token: string;
  bot: TgUser;
  calls: RecordedCall[];
  /** A chat that exists (a user who started the bot, or a group it is in). */
  addChat(chat: TgChat): void;
  /** A user writes in a chat (optionally as a reply to a message); resolves with the update id. */
  say(from: TgUser, chat: TgChat, text: string, replyTo?: number): number;
  /** A user presses an inline button of a message. */
  press(from: TgUser, chatId: number, messageId: number, data: string): number;
  /** The chat's messages, the bot's as last edited. */
  messages(chatId: number): TgMessage[];
  /** Polls `find` until it returns a value (or fails after `timeoutMs`, naming `what`). */
  waitFor<T>(find: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** The calls that count against a chat's rate limit. */
const PACED = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendChatAction']);

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-fake-telegram-token';
  const bot: TgUser = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Gluon',
    username: 'gluon_test_bot',
  };
  const state = createTelegramState(bot);
  const calls: RecordedCall[] = [];
  const lastWrite = new Map<string, number>();
  let webhook: { url: string; secret?: string } | null = null;
  let closing = false;

  const methods: Record<string, (p: Record<string, unknown>, res: ServerResponse) => unknown> = {
    getMe: () => ({
      ...bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    setMyCommands: () => true,
    deleteWebhook: () => ((webhook = null), true),
    setWebhook: (p) => (
      (webhook = { url: String(p.url), secret: p.secret_token as string | undefined }),
      true
    ),
    getWebhookInfo: () => ({
      url: webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: 0,
    }),
    sendMessage: (p) => state.sendMessage(p),
    editMessageText: (p) => state.editMessageText(p),
    answerCallbackQuery: () => true,
    sendChatAction: () => true,
    getUpdates: (p, res) => poll(p, res),
  };

  async function poll(p: Record<string, unknown>, res: ServerResponse) {
    if (webhook) throw new TgError(409, "Conflict: can't use getUpdates method while webhook is active");
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Number(p.limit ?? 100));
    const deadline = Date.now() + Math.min(50, Number(p.timeout ?? 0)) * 1000;
    let gone = false;
    res.once('close', () => (gone = true));
    for (;;) {
      const ready = state.takeUpdates(offset, limit);
      if (ready.length || Date.now() >= deadline || closing || gone) return ready;
      await new Promise<void>((wake) => {
        const done = () => {
          clearTimeout(timer);
          state.waiters.delete(done);
          res.off('close', done);
          wake();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        state.waiters.add(done);
        res.once('close', done);
      });
    }
  }

  function rateLimit(method: string, payload: Record<string, unknown>) {
    if (!opts.chatIntervalMs || !PACED.has(method)) return;
    const chat = String(payload.chat_id);
    const last = lastWrite.get(chat);
    const now = Date.now();
    // Measured between the writes it accepted, as Telegram counts messages actually sent.
    if (last !== undefined && now - last < opts.chatIntervalMs) {
      const retryAfter = Math.max(1, Math.ceil((opts.chatIntervalMs - (now - last)) / 1000));
      throw new TgError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathOf(req));
    const raw = await readBody(req);
    let payload: Record<string, unknown> = {};
    const call: RecordedCall = { at: Date.now(), method: match?.[2] ?? '?', payload, status: 200 };
    const answer = (status: number, body: unknown) => {
      call.status = status;
      sendJson(res, status, body);
    };
    try {
      if (!match) throw new TgError(404, 'Not Found');
      calls.push(call);
      if (match[1] !== token) throw new TgError(401, 'Unauthorized');
      const method = methods[match[2]!];
      if (!method) throw new TgError(404, 'Not Found: method not found');
      if (raw.length && !/json/.test(req.headers['content-type'] ?? ''))
        throw new TgError(400, 'Bad Request: this fake only reads JSON bodies');
      call.payload = payload = raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
      rateLimit(call.method, payload);
      const result = await method(payload, res);
      if (PACED.has(call.method)) lastWrite.set(String(payload.chat_id), Date.now());
      if (!res.destroyed) answer(200, { ok: true, result });
    } catch (error) {
      const e =
        error instanceof TgError ? error : new TgError(400, `Bad Request: ${(error as Error).message}`);
      call.description = e.description;
      answer(e.code, {
        ok: false,
        error_code: e.code,
        description: e.description,
        ...(e.parameters ? { parameters: e.parameters } : {}),
      });
    }
  }

  /** Delivers an update by webhook when one is set (with its secret token), else leaves it for getUpdates. */
  const dispatch = (updateId: number) => {
    if (!webhook) return updateId;
    const update = state.takeUpdates(0, 1000).find((u) => u.update_id === updateId);
    const { url, secret } = webhook;
    void fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      body: JSON.stringify(update),
    }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    return updateId;
  };

  const server = await listen(handle);

  return {
    apiRoot: server.url,
    token,
    bot,
    calls,
    addChat: state.addChat,
    say: (from, chat, text, replyTo) => dispatch(state.userMessage(from, chat, text, replyTo).update_id),
    press: (from, chatId, messageId, data) =>
      dispatch(state.buttonPress(from, chatId, messageId, data).update_id),
    messages: (chatId) => state.chats.get(chatId)?.messages ?? [],
    waitFor: (find, what, timeoutMs) => pollUntil('fake Telegram', find, what, timeoutMs),
    async close() {
      closing = true;
      for (const wake of [...state.waiters]) wake();
      await server.close();
    },
  };
}
