/**
 * /api/auth: signing in to the web with a user name and password (a session in an HttpOnly, SameSite=Strict
 * cookie; writes then need the session's CSRF token in `x-csrf-token`), signing out, and what sign-in
 * methods exist. The OpenID Connect routes are in oidc.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginBody, type AuthConfigDto, type MeDto } from '../../../../shared/team.js';
import type { Services } from '../../services/index.js';
import { SESSION_TTL_MS, type Session } from '../../services/team/people.js';
import { needs } from '../access.js';
import { cookieOf, SESSION_COOKIE } from '../identity.js';
import { noQuery, parse } from '../validate.js';

/** Sets the session cookie (Secure when the request came over HTTPS). */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, session: Session | null): void {
  const value = session ? session.id : '';
  const maxAge = session ? Math.floor(SESSION_TTL_MS / 1000) : 0;
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  );
}

/** A new session: the rest of this request acts as its user (audit), and the browser gets its cookie. */
export function signIn(req: FastifyRequest, reply: FastifyReply, session: Session): void {
  req.actor = {
    user: session.user.name,
    userId: session.user.id,
    roles: session.user.roles,
    surface: 'web',
    via: 'session',
  };
  setSessionCookie(req, reply, session);
}

/** What the web learns about the user it just signed in. */
export function presentSession(session: Session): MeDto {
  return {
    user: session.user.name,
    roles: session.user.roles,
    via: 'session',
    teamMode: true,
    csrf: session.csrf,
  };
}

export function registerAuthRoutes(app: FastifyInstance, s: Services, oidcName: () => string | null): void {
  const { people } = s.team;
  app.get('/api/auth/config', needs('public'), async (req): Promise<AuthConfigDto> => {
    parse(noQuery, req.query, 'query');
    const name = oidcName();
    return { password: await people.teamMode(), oidc: name ? { name } : null };
  });
  app.post('/api/auth/login', needs('public', 'auth.login'), async (req, reply): Promise<MeDto> => {
    parse(noQuery, req.query, 'query');
    const body = parse(loginBody, req.body, 'sign-in');
    const session = await people.login(body.name, body.password, req.ip);
    signIn(req, reply, session);
    return presentSession(session);
  });
  app.post('/api/auth/logout', needs('viewer', 'auth.logout'), async (req, reply) => {
    parse(noQuery, req.query, 'query');
    parse(noQuery, req.body ?? {}, 'body');
    const id = cookieOf(req, SESSION_COOKIE);
    if (id) await people.logout(id);
    setSessionCookie(req, reply, null);
    return reply.code(204).send();
  });
}
