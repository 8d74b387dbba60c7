/**
 * The gate in front of every request: the Host must be ours (DNS rebinding), a browser's Origin must be
 * ours (cross-site requests and WebSocket hijacking), and anything under /api/ needs the token — checked
 * before routing, so an unknown /api/ route without a token is a 401 too, never a 404.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/api.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
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

/** Builds the onRequest hook for the given token and accepted host names. */
export function createGate(opts: { token: string; allowedHosts: string[]; port: () => number }) {
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
  const deny = (reply: FastifyReply, status: number, code: string, message: string) => {
    const body = JSON.stringify({ error: { code, message } });
    if (reply.request.headers.upgrade) {
      // A refused WebSocket upgrade owns its raw socket: answer on it and close it, or it lingers open.
      reply.hijack();
      const reason = status === 401 ? 'Unauthorized' : 'Forbidden';
      reply.request.raw.socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return reply;
    }
    return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
  };

  return async function gate(req: FastifyRequest, reply: FastifyReply) {
    if (!hostAllowed(req.headers.host)) return deny(reply, 403, 'forbidden_host', 'unknown Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin))
      return deny(reply, 403, 'forbidden_origin', 'cross-origin requests are not allowed');
    if (req.url.startsWith('/api/') || req.url === '/api') {
      const given = tokenOf(req);
      if (!given || !sameToken(given, opts.token))
        return deny(reply, 401, 'unauthorized', 'missing or wrong token');
    }
  };
}
