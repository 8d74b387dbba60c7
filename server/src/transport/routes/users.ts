/**
 * /api/users and /api/tokens: people, their roles, passwords, chat links and API tokens. Admins manage
 * everyone; anyone signed in manages their own tokens and password.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createTokenBody,
  createUserBody,
  linkAccountBody,
  listTokensQuery,
  setPasswordBody,
  setRoleBody,
  tokenIdParam,
  userNameParam,
  type CreatedTokenDto,
  type CreatedUserDto,
  type MeDto,
  type TokenDto,
  type UserDto,
} from '../../../../shared/team.js';
import { ALL_WORKSPACES, holdsEverywhere } from '../../domain/actor.js';
import { forbidden } from '../../errors.js';
import type { Services } from '../../services/index.js';
import type { UserRecord } from '../../storage/team-repo.js';
import { needs } from '../access.js';
import { actorOf, requireEverywhere, requireRoleIn } from '../actor.js';
import { noQuery, parse } from '../validate.js';

export function presentUser(u: UserRecord): UserDto {
  return {
    name: u.name,
    roles: u.roles,
    hasPassword: u.passwordHash !== null,
    oidc: u.oidcSubject !== null,
    createdAt: u.createdAt,
  };
}

/**
 * Acting for other people (their passwords, tokens, chat links) is for admins of every workspace: an admin
 * of one workspace acting for an admin of all would be an admin of all.
 */
const isAdmin = (req: FastifyRequest) => holdsEverywhere(actorOf(req), 'admin');

/** The user a request may act on: itself, or anyone for an admin of every workspace. */
function selfOrAdmin(req: FastifyRequest, name: string | undefined): string {
  const me = actorOf(req);
  const target = name ?? me.user;
  if (target !== me.user && !isAdmin(req)) throw forbidden('only admins act for other users');
  if (me.userId === null && name === undefined)
    throw forbidden("the installation's token has no tokens of its own");
  return target;
}

export function registerUserRoutes(app: FastifyInstance, s: Services): void {
  const { people } = s.team;
  app.get('/api/me', needs('viewer'), async (req): Promise<MeDto> => {
    parse(noQuery, req.query, 'query');
    const me = actorOf(req);
    const session = req.sessionCsrf;
    return {
      user: me.user,
      roles: me.roles,
      via: me.via,
      teamMode: await people.teamMode(),
      ...(session ? { csrf: session } : {}),
    };
  });
  app.get('/api/users', needs('admin'), async (req): Promise<UserDto[]> => {
    parse(noQuery, req.query, 'query');
    return (await people.list()).map(presentUser);
  });
  app.post('/api/users', needs('admin', 'user.add'), async (req, reply): Promise<CreatedUserDto> => {
    parse(noQuery, req.query, 'query');
    const body = parse(createUserBody, req.body, 'user');
    requireRoleIn(req, body.workspace ?? ALL_WORKSPACES, 'admin');
    const { user, token, firstUser } = await people.add(body);
    req.auditTarget = user.name;
    reply.code(201);
    return { user: presentUser(user), token, firstUser };
  });
  app.put('/api/users/:name/role', needs('admin', 'user.role'), async (req): Promise<UserDto> => {
    parse(noQuery, req.query, 'query');
    const { name } = parse(userNameParam, req.params, 'user');
    const body = parse(setRoleBody, req.body, 'role');
    requireRoleIn(req, body.workspace ?? ALL_WORKSPACES, 'admin');
    return presentUser(await people.setRole(name, body.role, body.workspace));
  });
  app.put('/api/users/:name/password', needs('viewer', 'user.password'), async (req, reply) => {
    parse(noQuery, req.query, 'query');
    const { name } = parse(userNameParam, req.params, 'user');
    const { password } = parse(setPasswordBody, req.body, 'password');
    await people.setPassword(selfOrAdmin(req, name), password);
    return reply.code(204).send();
  });
  app.post('/api/users/:name/links', needs('admin', 'user.link'), async (req, reply) => {
    parse(noQuery, req.query, 'query');
    const { name } = parse(userNameParam, req.params, 'user');
    const body = parse(linkAccountBody, req.body, 'link');
    requireEverywhere(req, 'admin');
    await people.link(body.surface, body.account, name);
    return reply.code(204).send();
  });
  app.get('/api/tokens', needs('viewer'), async (req): Promise<TokenDto[]> => {
    const q = parse(listTokensQuery, req.query, 'query');
    const all = isAdmin(req) && q.user === undefined && actorOf(req).userId === null;
    return people.listTokens(all ? undefined : selfOrAdmin(req, q.user));
  });
  app.post('/api/tokens', needs('viewer', 'token.create'), async (req, reply): Promise<CreatedTokenDto> => {
    parse(noQuery, req.query, 'query');
    const body = parse(createTokenBody, req.body, 'token');
    const user = selfOrAdmin(req, body.user);
    const { token, ...record } = await people.createToken(user, body.name);
    req.auditTarget = record.id;
    reply.code(201);
    return { ...record, user, token };
  });
  app.delete('/api/tokens/:id', needs('viewer', 'token.revoke'), async (req, reply) => {
    parse(noQuery, req.query, 'query');
    const { id } = parse(tokenIdParam, req.params, 'token');
    parse(noQuery, req.body ?? {}, 'body');
    const mine = isAdmin(req) ? undefined : actorOf(req).user;
    if (mine !== undefined && !(await people.listTokens(mine)).some((t) => t.id === id))
      throw forbidden('only admins revoke other users’ tokens');
    await people.revokeToken(id);
    return reply.code(204).send();
  });
}
