/**
 * POST /integrations/discord/interactions — Discord's interactions endpoint. It lives outside /api/
 * because Discord cannot send Gluon's token: Discord's own Ed25519 signature is the authentication, and
 * the handler checks it on the raw body before anything is parsed (401 otherwise). So this scope keeps
 * bodies as raw bytes. Its access rule is `discord-signature`: the gate refuses a request without the
 * signature headers before its body is read. The Host check still applies: a public name Discord posts
 * to must be listed in `allowedHosts`. The bots install the handler once they run; until then, or without
 * Discord, the route answers 404.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { needs } from '../access.js';

export const DISCORD_INTERACTIONS_PATH = '/integrations/discord/interactions';
/** Interactions are a few kilobytes; anything much bigger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/** The interactions logic (the bots' Discord handler): raw request in, HTTP answer out. */
export type DiscordInteractionsHandler = (request: {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}) => Promise<{ status: number; body: unknown }>;

const handlers = new WeakMap<FastifyInstance, DiscordInteractionsHandler>();

/** Installs (or, with null, removes) the handler behind the route of `app`. */
export function setDiscordInteractions(
  app: FastifyInstance,
  handler: DiscordInteractionsHandler | null,
): void {
  if (handler) handlers.set(app, handler);
  else handlers.delete(app);
}

/** Registers the route on `app` (in a scope of its own, where bodies stay raw bytes). */
export function registerDiscordRoute(app: FastifyInstance): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(DISCORD_INTERACTIONS_PATH, needs('discord-signature'), async (req, reply) => {
      const handler = handlers.get(app);
      if (!handler) {
        return reply.code(404).send({ error: { code: 'not_found', message: 'Discord is not configured' } });
      }
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await handler({ rawBody, headers: req.headers });
      return reply.code(answer.status).send(answer.body);
    });
  });
}
