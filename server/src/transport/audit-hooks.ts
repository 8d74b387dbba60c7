/**
 * Feeds the audit log from the HTTP layer, so that no route can forget it: every write that succeeded
 * (any method but GET/HEAD/OPTIONS, answered 2xx, by an identified caller) and every refusal (403,
 * whoever asked) becomes one entry naming the user, the surface, the route's action (`task.move`), the
 * target (the `:id`/`:name` in the path, else the `id` of what was created) and the request's body,
 * redacted (audit.ts drops fields named like secrets).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Audit } from '../services/team/audit.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    /** What the write acted on, for the audit log: set by a route, else found when the answer is sent. */
    auditTarget?: string;
  }
}

function targetFromParams(req: FastifyRequest): string | undefined {
  const params = req.params as Record<string, unknown> | undefined;
  const value = params?.id ?? params?.name;
  return typeof value === 'string' ? value : undefined;
}

function idFromPayload(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return undefined;
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The action's name: the route's declared one, else its method and pattern. */
function actionOf(req: FastifyRequest): string {
  return req.routeOptions.config?.audit ?? `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
}

export function installAuditHooks(
  app: FastifyInstance,
  audit: Audit,
  log: (msg: string, err?: unknown) => void,
) {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!READS.has(req.method) && reply.statusCode < 300)
      req.auditTarget ??= targetFromParams(req) ?? idFromPayload(payload);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const status = reply.statusCode;
    const denied = status === 403;
    if (!denied && (READS.has(req.method) || status >= 300 || !req.actor)) return;
    const actor = req.actor ?? { user: 'anonymous', surface: 'api' as const };
    await audit
      .record(actor, {
        action: denied ? `${req.method} ${req.url.split('?')[0]}` : actionOf(req),
        target: req.auditTarget ?? targetFromParams(req) ?? null,
        outcome: denied ? 'denied' : 'ok',
        detail: denied ? { route: req.routeOptions.url ?? null } : (req.body ?? null),
      })
      .catch((err: unknown) => log('writing the audit log failed', err));
  });
}
