import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/index.js';
import { createDiscordRest } from './rest.js';

let fake: FakeDiscord;
beforeEach(async () => {
  fake = await startFakeDiscord({ bucketLimit: 2, windowMs: 300 });
});
afterEach(async () => fake.close());

describe('the Discord REST client', () => {
  it('waits for an exhausted bucket instead of running into 429s', async () => {
    const rest = createDiscordRest({ apiBase: fake.apiBase, appId: fake.appId, botToken: fake.botToken });
    for (let i = 0; i < 5; i++) await rest.createMessage('123', { content: `message ${i}` });
    expect(fake.messages.map((m) => m.content)).toEqual([
      'message 0',
      'message 1',
      'message 2',
      'message 3',
      'message 4',
    ]);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('retries after a 429 it could not foresee (concurrent requests)', async () => {
    const rest = createDiscordRest({ apiBase: fake.apiBase, appId: fake.appId, botToken: fake.botToken });
    await Promise.all([0, 1, 2, 3].map((i) => rest.createMessage('123', { content: `m${i}` })));
    expect(fake.messages.map((m) => m.content).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(fake.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it('reports refusals with the status and Discord’s message', async () => {
    const rest = createDiscordRest({ apiBase: fake.apiBase, appId: fake.appId, botToken: 'wrong' });
    await expect(rest.createMessage('123', { content: 'x' })).rejects.toMatchObject({ status: 401 });
    const good = createDiscordRest({ apiBase: fake.apiBase, appId: fake.appId, botToken: fake.botToken });
    await expect(good.createMessage('123', { content: 'x'.repeat(2001) })).rejects.toThrow(
      /400.*Invalid Form Body/,
    );
  });

  it('retries an edit of an interaction Discord does not know yet, then gives up', async () => {
    const rest = createDiscordRest({
      apiBase: fake.apiBase,
      appId: fake.appId,
      botToken: fake.botToken,
      maxRetries: 2,
    });
    await expect(rest.editOriginal('never-issued', { content: 'x' })).rejects.toMatchObject({ status: 404 });
    expect(fake.requests.map((r) => r.status)).toEqual([404, 404, 404]);
  });
});
