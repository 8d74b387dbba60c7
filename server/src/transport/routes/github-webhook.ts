/**
 * POST /integrations/github/webhook — GitHub's webhook deliveries (the `issues` event turns labelled
 * issues into tasks). Outside /api/ because GitHub cannot send Gluon's token: the HMAC-SHA256 signature
 * of the raw body under the hook's secret (`X-Hub-Signature-256`) is the authentication, checked by the
 * intake service before anything is parsed. Bodies stay raw bytes in this scope. Without a configured
 * secret the route answers 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';

export const GITHUB_WEBHOOK_PATH = '/integrations/github/webhook';
/** GitHub caps payloads at 25 MB; an issue event is a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export function registerGitHubWebhookRoute(app: FastifyInstance, s: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(GITHUB_WEBHOOK_PATH, needs('github-signature'), async (req, reply) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await s.intake.issues.handleWebhook({ rawBody, headers: req.headers });
      return reply.code(answer.status).send(answer.body);
    });
  });
}
