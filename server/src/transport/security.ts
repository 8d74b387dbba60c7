/**
 * The gate in front of every request, HTTP and WebSocket upgrade alike. It runs after routing and decides
 * on the route that matched (its declared access rule), never on how the URL was spelled; the Host and
 * Origin checks keep other sites and DNS rebinding out even when a rule lets a request through.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, requireAccessRules, type Access, type Denial } from './access.js';
import { createIdentify, type Identify } from './identity.js';
import { isApiTarget, isOriginForm } from './request-target.js';

/** The API routes anyone may call: signing in (the handlers check credentials themselves). */
export const PUBLIC_API = new Set([
  '/api/auth/login',
  '/api/auth/oidc/start',
  '/api/auth/oidc/callback',
  '/api/auth/config',
]);

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** A protocol upgrade (a WebSocket handshake), told the way Node tells it: Upgrade plus Connection: upgrade. */
function isUpgrade(req: FastifyRequest): boolean {
  return Boolean(req.headers.upgrade) && /(^|,)\s*upgrade\s*(,|$)/i.test(req.headers.connection ?? '');
}

export interface GateOptions {
  token: string;
  allowedHosts: string[];
  /** The port the server listens on, read lazily (known only after listen). */
  port: () => number;
  /** Who a request comes from; the installation's token only when not given. */
  identify?: Identify;
}

/**
 * Installs the gate on `app`: every route registered afterwards must declare an access rule, and every
 * request passes the gate before anything else of it is read.
 */
export function installSecurity(app: FastifyInstance, opts: GateOptions): void {
  requireAccessRules(app);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', createGate(opts));
}

/** Answers a refusal; a refused WebSocket upgrade owns its raw socket, so the answer goes there. */
function deny(reply: FastifyReply, status: number, code: string, message: string) {
  const body = JSON.stringify({ error: { code, message } });
  if (isUpgrade(reply.request)) {
    reply.hijack();
    const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
    reply.request.raw.socket.end(
      `HTTP/1.1 ${status} ${reason ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    return reply;
  }
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

/**
 * The access rule that applies to a request.
 * Rules: no matched route (a 404) needs a signed-in caller, so an unknown route never says whether it exists; a
 * target that names the API under any spelling is never public, whatever route the router found.
 */
function accessOf(req: FastifyRequest): Access | undefined {
  if (req.is404) return 'viewer';
  const access = req.routeOptions.config?.access;
  if (access === 'public' && isApiTarget(req.raw.url ?? '') && !PUBLIC_API.has(req.routeOptions.url ?? ''))
    return 'viewer';
  return access;
}

/**
 * Builds the onRequest hook.
 * Rules, in order: the target is origin-form (400); the Host is a loopback name or an allowed one (403);
 * an Origin, when sent, is this server (403); the route's access rule holds (401/403); an upgrade reaches
 * only a WebSocket route (404).
 */
export function createGate(opts: GateOptions) {
  const identify = opts.identify ?? createIdentify(opts.token, null);
  const hostAllowed = (host: string | undefined): boolean => {
    if (!host) return false;
    const name = host.replace(/:\d+$/, '');
    return LOOPBACK_NAMES.includes(name) || opts.allowedHosts.includes(name);
  };
  const originAllowed = (origin: string): boolean => {
    try {
      const u = new URL(origin);
      return (
        (u.protocol === 'http:' || u.protocol === 'https:') &&
        hostAllowed(u.host) &&
        Number(u.port || 80) === opts.port()
      );
    } catch {
      return false;
    }
  };

  return async function gate(req: FastifyRequest, reply: FastifyReply) {
    if (!isOriginForm(req.raw.url ?? ''))
      return deny(reply, 400, 'invalid_request_target', 'the request target must be a path (origin-form)');
    if (!hostAllowed(req.headers.host)) return deny(reply, 403, 'forbidden_host', 'unknown Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin))
      return deny(reply, 403, 'forbidden_origin', 'cross-origin requests are not allowed');
    const access = accessOf(req);
    const found = access === 'public' || access === 'discord-signature' ? null : await identify(req);
    if (found && 'status' in found) return deny(reply, found.status, found.code, found.message);
    const who = found;
    req.actor = who?.actor ?? null;
    req.sessionCsrf = who?.csrf;
    const denial: Denial | null = authorize(access, req, who);
    if (denial) return deny(reply, denial.status, denial.code, denial.message);
    if (isUpgrade(req) && !req.routeOptions.config?.websocket)
      return deny(reply, 404, 'not_found', 'no WebSocket at this address');
  };
}

/**
 * Answers what the router refuses before any route matched (an undecodable escape, a parameter over
 * the length limit): the gate first, as for an unknown route, then a 400 in the API's error shape.
 * Fastify's `frameworkErrors` option.
 */
export function createFrameworkErrorHandler(opts: GateOptions) {
  const gate = createGate(opts);
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    const refuse = () => {
      if (reply.sent) return;
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'invalid_input' : 'invalid_url';
      const message =
        code === 'invalid_input' ? 'a path parameter is too long' : 'the path is not a valid URL path';
      void reply.code(400).send({ error: { code, message } });
    };
    // A gate that fails is the server's fault: the error handler logs it and answers 500.
    const answerFailure = (failure: unknown) => void reply.send(failure);
    gate(req, reply).then(refuse, answerFailure);
  };
}
