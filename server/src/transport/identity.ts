/**
 * Who a request comes from. Rules, in order:
 * 1. `Authorization: Bearer` (or the WebSocket token subprotocol) with the installation's token: `owner`,
 *    admin everywhere — single-user mode, and still so once users exist. A bot holding it names the chat
 *    account it serves in `x-gluon-chat-account: telegram:1234`; once users exist the bot acts as the
 *    user linked to that account (none linked: refused, saying how to link it);
 * 2. a bearer `gluon_…` token: its user (unknown or revoked: nobody);
 * 3. the `gluon_session` cookie of a live web session: its user, surface `web`, with its CSRF token.
 * The surface is `x-gluon-surface` when it names one (cli, telegram, discord, web, api), else `api`.
 */
import type { FastifyRequest } from 'fastify';
import { installActor, SURFACES, type Actor, type Surface } from '../domain/actor.js';
import type { People } from '../services/team/people.js';
import type { UserRecord } from '../storage/team-repo.js';
import { sameToken, tokenOf, type Denial, type Identity } from './access.js';

export const SESSION_COOKIE = 'gluon_session';
const CHAT_ACCOUNT = /^(telegram|discord):([0-9]{1,25})$/;

/** The value of one cookie of the request, if sent. */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function surfaceOf(req: FastifyRequest): Surface {
  const named = req.headers['x-gluon-surface'];
  return SURFACES.find((s) => s === named) ?? 'api';
}

function actorOf(user: UserRecord, surface: Surface, via: Actor['via']): Actor {
  return { user: user.name, userId: user.id, roles: user.roles, surface, via };
}

/** A request from nobody (null), someone, or a refusal that says why (a chat account nobody linked). */
export type Identify = (req: FastifyRequest) => Promise<Identity | Denial | null>;

const unlinked = (account: string): Denial => ({
  status: 403,
  code: 'unlinked_account',
  message: `this chat account is not linked to a Gluon user; an admin links it: gluon user link NAME ${account.replace(':', ' ')}`,
});

/** Builds the identification of requests for a server with `token`, over `people` (none: token only). */
export function createIdentify(token: string, people: People | null): Identify {
  const asBot = async (req: FastifyRequest, surface: Surface): Promise<Identity | Denial> => {
    const account = req.headers['x-gluon-chat-account'];
    const m = typeof account === 'string' ? CHAT_ACCOUNT.exec(account) : null;
    if (!m || !people || !(await people.teamMode())) return { actor: installActor(surface) };
    const user = await people.linkedUser(m[1]!, m[2]!);
    return user ? { actor: actorOf(user, m[1] as Surface, 'token') } : unlinked(m[0]);
  };
  return async (req) => {
    const surface = surfaceOf(req);
    const given = tokenOf(req);
    if (given !== null) {
      if (sameToken(given, token)) return asBot(req, surface);
      const user = await people?.userOfToken(given);
      return user ? { actor: actorOf(user, surface, 'token') } : null;
    }
    const session = cookieOf(req, SESSION_COOKIE);
    if (!session || !people || !/^[0-9a-f]{64}$/.test(session)) return null;
    const found = await people.session(session);
    return found ? { actor: actorOf(found.user, 'web', 'session'), csrf: found.csrf } : null;
  };
}
