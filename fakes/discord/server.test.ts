import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyKey } from 'discord-interactions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './index.js';

let fake: FakeDiscord;
let bot: Server;
const received: { body: string; signature?: string; timestamp?: string }[] = [];

beforeEach(async () => {
  fake = await startFakeDiscord({ bucketLimit: 2, windowMs: 60_000 });
  received.length = 0;
  bot = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({
        body,
        signature: req.headers['x-signature-ed25519'] as string | undefined,
        timestamp: req.headers['x-signature-timestamp'] as string | undefined,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":1}');
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  fake.target = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/interactions`;
});
afterEach(async () => {
  await fake.close();
  await new Promise((resolve) => bot.close(resolve));
});

describe('the fake Discord', () => {
  it('signs interactions so that discord-interactions accepts them, or deliberately not', async () => {
    const answer = await fake.command('board', {}, { user: '42', channel: '7', guild: '9' });
    expect(answer).toMatchObject({ status: 200, body: { type: 1 } });
    const [signed] = received;
    expect(JSON.parse(signed!.body)).toMatchObject({
      type: 2,
      data: { name: 'board' },
      guild_id: '9',
      member: { user: { id: '42' } },
    });
    expect(await verifyKey(signed!.body, signed!.signature!, signed!.timestamp!, fake.publicKeyHex)).toBe(
      true,
    );

    await fake.interact({ type: 1 }, { signature: 'invalid' });
    await fake.interact({ type: 1 }, { signature: 'none' });
    expect(
      await verifyKey(received[1]!.body, received[1]!.signature!, received[1]!.timestamp!, fake.publicKeyHex),
    ).toBe(false);
    expect(received[2]!.signature).toBeUndefined();
  });

  it('records interaction replies, refuses long content, needs the bot token for channels, and rate-limits', async () => {
    const { token } = await fake.command('board', {});
    const url = `${fake.apiBase}/webhooks/${fake.appId}/${token}/messages/@original`;
    const patch = (content: string) =>
      fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content }),
      });
    expect((await patch('hello')).status).toBe(200);
    expect(fake.original(token)).toMatchObject({ content: 'hello', edits: 1 });
    expect((await patch('x'.repeat(2001))).status).toBe(400);
    expect((await patch('again')).status).toBe(429);
    const channel = await fetch(`${fake.apiBase}/channels/1/messages`, {
      method: 'POST',
      body: '{"content":"hi"}',
    });
    expect(channel.status).toBe(401);
  });
});
