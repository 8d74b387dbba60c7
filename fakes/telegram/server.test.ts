import { Api, GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from './index.js';

let fake: FakeTelegram;
let api: Api;
const ada = { id: 1001, is_bot: false, first_name: 'Ada' };
const dm = { id: 1001, type: 'private' as const };

beforeEach(async () => {
  fake = await startFakeTelegram({ chatIntervalMs: 500 });
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
  fake.addChat(dm);
});
afterEach(async () => fake.close());

describe('the fake Telegram Bot API, through grammY', () => {
  it('answers getMe for its token and 401 for another', async () => {
    expect(await api.getMe()).toMatchObject({ id: fake.bot.id, is_bot: true, username: 'gluon_test_bot' });
    const stranger = new Api('1:wrong', { apiRoot: fake.apiRoot });
    await expect(stranger.getMe()).rejects.toMatchObject({ error_code: 401 });
  });

  it('long-polls updates (a command gets its entity) and forgets confirmed ones', async () => {
    const pending = api.getUpdates({ offset: 0, timeout: 5 });
    fake.say(ada, dm, '/logs abcd');
    const [update] = await pending;
    expect(update?.message).toMatchObject({
      text: '/logs abcd',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    });
    expect(await api.getUpdates({ offset: update!.update_id + 1, timeout: 0 })).toEqual([]);
  });

  it('refuses texts over 4,096 characters and edits that change nothing', async () => {
    await expect(api.sendMessage(dm.id, 'x'.repeat(4097))).rejects.toThrow(/message is too long/);
    const sent = await api.sendMessage(dm.id, 'x'.repeat(4096));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const error = await api
      .editMessageText(dm.id, sent.message_id, 'x'.repeat(4096))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).description).toMatch(/message is not modified/);
  });

  it('answers 429 with retry_after to a chat written to too fast', async () => {
    await api.sendMessage(dm.id, 'one');
    const error = (await api.sendMessage(dm.id, 'two').catch((e: unknown) => e)) as GrammyError;
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBe(1);
    expect(fake.calls.map((c) => c.status)).toEqual([200, 429]);
    expect(fake.messages(dm.id).map((m) => m.text)).toEqual(['one']);
  });
});
