/**
 * /api/push: the VAPID public key, (un)subscribing a browser, and the Approve / Deny a notification
 * sends. The action route takes no token (a service worker has none): its access rule `push-action`
 * needs the action header, and the handler checks the server's signature on that one decision.
 */
import type { FastifyInstance } from 'fastify';
import { pushActionBody, pushSubscriptionBody, pushUnsubscribeBody } from '../../../../shared/intake-api.js';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';
import { noQuery, parse } from '../validate.js';

export function registerPushRoutes(app: FastifyInstance, s: Services): void {
  const { push } = s.intake;
  app.get('/api/push/key', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    return { publicKey: push.publicKey() };
  });
  app.post('/api/push/subscriptions', needs('viewer'), async (req, reply) => {
    await push.subscribe(parse(pushSubscriptionBody, req.body, 'subscription'));
    reply.code(201);
    return { subscribed: true };
  });
  app.post('/api/push/subscriptions/remove', needs('viewer'), async (req) => {
    const { endpoint } = parse(pushUnsubscribeBody, req.body, 'subscription');
    return { removed: await push.unsubscribe(endpoint) };
  });
  app.post('/api/push/action', needs('push-action'), async (req) => {
    await push.act(parse(pushActionBody, req.body, 'action'));
    return { ok: true };
  });
}
