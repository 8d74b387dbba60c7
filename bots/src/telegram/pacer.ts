/**
 * Keeps the bot within Telegram's rate limits, as a grammY API transformer (so it covers every call, from
 * commands, buttons, live logs and notifications alike): calls that write to one chat go one at a time,
 * each starting a full interval after the previous one was answered (about one a second in a private
 * chat, twenty a minute in a group) — measured from the answer, so no delay in transit can bunch two
 * together —, all chats together stay under thirty calls a second, and a 429 answer is waited out
 * (`retry_after`) and retried.
 */
import type { Transformer } from 'grammy';

export interface PacingLimits {
  /** Between two messages or edits in one private chat. */
  chatIntervalMs: number;
  /** Between two messages or edits in one group (negative chat id). */
  groupIntervalMs: number;
  /** Between any two paced calls, across chats. */
  globalIntervalMs: number;
  /** How many times a call answered 429 is retried. */
  maxRetries: number;
}

export const DEFAULT_PACING: PacingLimits = {
  chatIntervalMs: 1000,
  groupIntervalMs: 3000,
  globalIntervalMs: 35,
  maxRetries: 3,
};

/** The calls that post into a chat and count against its limits. */
const PACED = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'deleteMessage',
  'sendChatAction',
  'sendPhoto',
  'sendDocument',
]);

interface ChatQueue {
  tail: Promise<unknown>;
  lastAnsweredAt: number;
  pending: number;
}

const sleep = (ms: number) =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** Builds the transformer; install it with `bot.api.config.use(createPacer(limits))`. */
export function createPacer(limits: PacingLimits): Transformer {
  const queues = new Map<string, ChatQueue>();
  let globalNextAt = 0;

  /** Chats quiet for a minute need no memory of their last call. */
  const forgetIdle = () => {
    if (queues.size < 1000) return;
    for (const [chat, q] of queues)
      if (q.pending === 0 && Date.now() - q.lastAnsweredAt > 60_000) queues.delete(chat);
  };

  /** Runs `work` after the chat's earlier calls, a full interval after the last one was answered. */
  const inTurn = <T>(chat: string, work: () => Promise<T>): Promise<T> => {
    let queue = queues.get(chat);
    if (!queue) {
      forgetIdle();
      queues.set(chat, (queue = { tail: Promise.resolve(), lastAnsweredAt: -Infinity, pending: 0 }));
    }
    const q = queue;
    const interval = chat.startsWith('-') ? limits.groupIntervalMs : limits.chatIntervalMs;
    q.pending += 1;
    const run = q.tail.then(async () => {
      await sleep(q.lastAnsweredAt + interval - Date.now());
      const at = Math.max(Date.now(), globalNextAt);
      globalNextAt = at + limits.globalIntervalMs;
      await sleep(at - Date.now());
      try {
        return await work();
      } finally {
        q.lastAnsweredAt = Date.now();
        q.pending -= 1;
      }
    });
    q.tail = run.catch(() => undefined);
    return run;
  };

  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const call = async () => {
      for (let attempt = 0; ; attempt++) {
        const response = await prev(method, payload, signal);
        if (response.ok || response.error_code !== 429 || attempt >= limits.maxRetries) return response;
        await sleep(Math.max(1, response.parameters?.retry_after ?? 1) * 1000);
      }
    };
    return PACED.has(method) && chatId !== undefined ? inTurn(String(chatId), call) : call();
  };
}
