/**
 * Who may call each route. Every route declares its rule in its options (`needs('token')`), a route
 * registered without one is refused at registration, and the gate decides on the route that matched —
 * never on the spelling of the URL. One function, `authorize`, turns a rule and a request into a verdict:
 * the later per-user roles replace `'token'` with `{ permission: … }` there and in the routes' options.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/api.js';

/**
 * - `public`: anyone (the dashboard's static files only);
 * - `token`: a caller with Gluon's API token;
 * - `discord-signature`: Discord's signed interactions (the handler checks the Ed25519 signature on the
 *   raw body; the gate only refuses requests that carry no signature at all);
 * - `github-signature`: GitHub's webhook deliveries (the handler checks the HMAC-SHA256 of the raw body,
 *   `X-Hub-Signature-256`, against the configured secret; the gate refuses a delivery without one);
 * - `push-action`: Approve / Deny from a push notification, where no token can travel: the handler checks
 *   the server's signature on exactly that decision; the gate refuses a request without the header.
 */
export type Access = 'public' | 'token' | 'discord-signature' | 'github-signature' | 'push-action';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Set at registration for WebSocket routes: the only ones an upgrade may reach. */
    websocket?: boolean;
  }
}

/** The route options that declare an access rule: `app.get(url, needs('token'), handler)`. */
export function needs(access: Access): { config: { access: Access } } {
  return { config: { access } };
}

/** One registered route as the gate sees it (the tests walk this table). */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  websocket: boolean;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Refuses, from now on, any route registered on `app` (or a child scope) without an access rule, and
 * records the others in the route table.
 */
export function requireAccessRules(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions & { websocket?: boolean; wsHandler?: unknown }) => {
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access rule (config.access)`);
    const websocket = route.websocket === true || typeof route.wsHandler === 'function';
    route.config = { ...route.config, websocket };
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access, websocket });
  });
}

/** The routes registered on `app` since `requireAccessRules`, HEAD twins included. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}

/** Why a request is refused: the status, a stable code and a plain message. */
export interface Denial {
  status: 401 | 403;
  code: string;
  message: string;
}

/** The token a request carries: `Authorization: Bearer …`, or the WebSocket subprotocol for browsers. */
export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const p = protocols
      .split(',')
      .map((s) => s.trim())
      .find((s) => s.startsWith(WS_TOKEN_PROTOCOL_PREFIX));
    if (p) return p.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const UNAUTHORIZED: Denial = { status: 401, code: 'unauthorized', message: 'missing or wrong token' };

/**
 * The verdict of an access rule on a request: null lets it through.
 * Rules: no rule is a refusal for everyone; `public` passes; `token` needs the exact token (compared in
 * constant time); `discord-signature` needs Discord's signature headers, which its handler then verifies;
 * `github-signature` and `push-action` likewise need their signature header, verified by the handler.
 */
export function authorize(access: Access | undefined, req: FastifyRequest, token: string): Denial | null {
  switch (access) {
    case undefined:
      return { status: 403, code: 'forbidden', message: 'this route declares no access rule' };
    case 'public':
      return null;
    case 'token': {
      const given = tokenOf(req);
      return given && sameToken(given, token) ? null : UNAUTHORIZED;
    }
    case 'discord-signature':
      return req.headers['x-signature-ed25519'] && req.headers['x-signature-timestamp']
        ? null
        : { status: 401, code: 'invalid_signature', message: 'missing Discord signature' };
    case 'github-signature':
      return req.headers['x-hub-signature-256']
        ? null
        : { status: 401, code: 'invalid_signature', message: 'missing X-Hub-Signature-256' };
    case 'push-action':
      return req.headers['x-gluon-push-action']
        ? null
        : { status: 401, code: 'invalid_signature', message: 'missing push action signature' };
  }
}
