/**
 * Who may call each route. Every route declares its rule in its options (`needs('operator')`), a route
 * registered without one is refused at registration, and the gate decides on the route that matched —
 * never on the spelling of the URL. One function, `authorize`, turns a rule and the caller (identity.ts)
 * into a verdict. Deny by default: a role is a minimum, and a caller without one is refused.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/api.js';
import { atLeast, strongestRole, type Actor, type Role } from '../domain/actor.js';

/**
 * - `public`: anyone (the dashboard's static files and the sign-in routes only);
 * - `viewer`, `operator`, `admin`: a signed-in caller (the installation's token, a user's API token, or a
 *   web session) whose strongest role is at least that one; a route acting on one workspace checks the
 *   caller's role there too (actor.ts);
 * - `discord-signature`: Discord's signed interactions (the handler checks the Ed25519 signature on the
 *   raw body; the gate only refuses requests that carry no signature at all);
 * - `github-signature`: GitHub's webhook deliveries (the handler checks the HMAC-SHA256 of the raw body,
 *   `X-Hub-Signature-256`, against the configured secret; the gate refuses a delivery without one);
 * - `push-action`: Approve / Deny from a push notification, where no token can travel: the handler checks
 *   the server's signature on exactly that decision; the gate refuses a request without the header.
 */
export type Access = 'public' | Role | 'discord-signature' | 'github-signature' | 'push-action';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The audit log's name for a write through this route (`task.move`); else `METHOD /url`. */
    audit?: string;
    /** Set at registration for WebSocket routes: the only ones an upgrade may reach. */
    websocket?: boolean;
  }
  interface FastifyRequest {
    /** Who makes the request, once the gate identified it (null before, and for anonymous callers). */
    actor: Actor | null;
    /** A web session's CSRF token (the caller signed in through the web). */
    sessionCsrf?: string;
  }
}

/** The route options that declare an access rule: `app.post(url, needs('operator', 'task.move'), handler)`. */
export function needs(access: Access, audit?: string): { config: { access: Access; audit?: string } } {
  return { config: audit ? { access, audit } : { access } };
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

const UNAUTHORIZED: Denial = { status: 401, code: 'unauthorized', message: 'missing or wrong token' };
const BAD_CSRF: Denial = { status: 403, code: 'csrf', message: 'missing or wrong x-csrf-token header' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who a request comes from, as the gate identified it. */
export interface Identity {
  actor: Actor;
  /** A web session's CSRF token: writes must echo it in `x-csrf-token`. */
  csrf?: string;
}

/**
 * The verdict of an access rule on a request from `who` (null: nobody identified): null lets it through.
 * Rules: no rule is a refusal for everyone; `public` passes; a role needs an identified caller (401),
 * the session's CSRF token on a write (403), and a strongest role at least the rule's (403);
 * `discord-signature`, `github-signature` and `push-action` need their signature header, which their
 * handler then verifies.
 */
export function authorize(
  access: Access | undefined,
  req: FastifyRequest,
  who: Identity | null,
): Denial | null {
  switch (access) {
    case undefined:
      return { status: 403, code: 'forbidden', message: 'this route declares no access rule' };
    case 'public':
      return null;
    case 'viewer':
    case 'operator':
    case 'admin': {
      if (!who) return UNAUTHORIZED;
      if (who.csrf !== undefined && !SAFE_METHODS.has(req.method)) {
        const given = req.headers['x-csrf-token'];
        if (typeof given !== 'string' || !sameToken(given, who.csrf)) return BAD_CSRF;
      }
      return atLeast(strongestRole(who.actor), access)
        ? null
        : { status: 403, code: 'forbidden_role', message: `this needs the ${access} role` };
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

/** Constant-time equality of two strings. */
export function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
