import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from './pacer.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

type Answer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/** A stand-in for the HTTP call: records when each call started and answers after `latencyMs`. */
function fakeApi(latencyMs: number, answers: Answer[] = []) {
  const started: { at: number; method: string; chat: unknown }[] = [];
  const prev = async (method: string, payload: { chat_id?: unknown }) => {
    started.push({ at: Date.now(), method, chat: payload?.chat_id });
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    return answers.shift() ?? { ok: true as const, result: true };
  };
  return { started, prev };
}

const limits = { chatIntervalMs: 1000, groupIntervalMs: 3000, globalIntervalMs: 0, maxRetries: 3 };

describe('the Telegram pacer', () => {
  it('spaces calls to one chat a full interval after each answer, groups more widely, others not at all', async () => {
    const api = fakeApi(100);
    const pacer = createPacer(limits);
    const call = (method: string, chat: number) =>
      pacer(api.prev as never, method as never, { chat_id: chat } as never);
    const all = [
      call('sendMessage', 1),
      call('editMessageText', 1),
      call('sendMessage', -5),
      call('sendMessage', -5),
      call('answerCallbackQuery', 1),
    ];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    const at = (method: string, chat: number) =>
      api.started.filter((s) => s.method === method && s.chat === chat).map((s) => s.at);
    expect(at('sendMessage', 1)).toEqual([0]);
    expect(at('editMessageText', 1)).toEqual([1100]);
    expect(at('sendMessage', -5)).toEqual([0, 3100]);
    expect(at('answerCallbackQuery', 1)).toEqual([0]);
  });

  it('waits out a 429 and retries, up to maxRetries', async () => {
    const tooMany: Answer = {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 2',
      parameters: { retry_after: 2 },
    };
    const api = fakeApi(0, [tooMany, { ok: true, result: 'sent' }]);
    const pacer = createPacer(limits);
    const result = pacer(api.prev as never, 'sendMessage' as never, { chat_id: 1 } as never);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await result).toEqual({ ok: true, result: 'sent' });
    expect(api.started.map((s) => s.at)).toEqual([0, 2000]);

    const stubborn = fakeApi(0, [tooMany, tooMany, tooMany, tooMany, tooMany]);
    const gaveUp = createPacer({ ...limits, maxRetries: 2 })(
      stubborn.prev as never,
      'sendMessage' as never,
      { chat_id: 1 } as never,
    );
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await gaveUp).toMatchObject({ ok: false, error_code: 429 });
    expect(stubborn.started).toHaveLength(3);
  });
});
