import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installSecurity } from '../security.js';
import { DISCORD_INTERACTIONS_PATH, registerDiscordRoute, setDiscordInteractions } from './discord.js';

let app: FastifyInstance;

async function build() {
  app = Fastify({ logger: false });
  installSecurity(app, { token: 'secret-token', allowedHosts: ['gluon.example.com'], port: () => 80 });
  registerDiscordRoute(app);
  await app.ready();
  return app;
}

/** Discord's signature headers: the gate wants them present, the handler checks them. */
const SIGNED = { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': '1700000000' };

const post = (body: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: DISCORD_INTERACTIONS_PATH,
    headers: { host: 'gluon.example.com', 'content-type': 'application/json', ...SIGNED, ...headers },
    payload: body,
  });

afterEach(async () => app?.close());

describe('the Discord interactions route', () => {
  it('answers 404 while no handler is installed', async () => {
    await build();
    const response = await post('{"type":1}');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('needs no Gluon token and hands the handler the exact raw bytes and headers', async () => {
    await build();
    const seen: { body: string; signature: unknown }[] = [];
    setDiscordInteractions(app, async ({ rawBody, headers }) => {
      seen.push({ body: rawBody.toString('utf8'), signature: headers['x-signature-ed25519'] });
      return { status: 401, body: { error: { code: 'invalid_signature', message: 'signature invalid' } } };
    });
    // Whitespace and key order must survive: the signature covers these bytes, not a re-serialization.
    const raw = '{ "type" : 1,\n  "id": "x" }';
    const response = await post(raw, { 'x-signature-ed25519': 'ab'.repeat(64) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(seen).toEqual([{ body: raw, signature: 'ab'.repeat(64) }]);
  });

  it('takes any content type (Discord sends JSON, a prober may not) and refuses oversized bodies', async () => {
    await build();
    const sizes: number[] = [];
    setDiscordInteractions(app, async ({ rawBody }) => {
      sizes.push(rawBody.length);
      return { status: 200, body: { type: 1 } };
    });
    const plain = await post('not json', { 'content-type': 'text/plain' });
    expect(plain.statusCode).toBe(200);
    expect(sizes).toEqual([8]);
    const huge = await post('x'.repeat(300 * 1024));
    expect(huge.statusCode).toBe(413);
    expect(sizes).toEqual([8]);
  });

  it('keeps the security gate: an unknown Host or a missing signature is refused before the handler', async () => {
    await build();
    let called = false;
    setDiscordInteractions(app, async () => {
      called = true;
      return { status: 200, body: {} };
    });
    const response = await post('{}', { host: 'evil.example.net' });
    expect(response.statusCode).toBe(403);
    const unsigned = await app.inject({
      method: 'POST',
      url: DISCORD_INTERACTIONS_PATH,
      headers: { host: 'gluon.example.com', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(called).toBe(false);
    setDiscordInteractions(app, null);
    expect((await post('{}')).statusCode).toBe(404);
  });
});
