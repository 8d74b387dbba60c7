/**
 * People: users with a role per workspace, their API tokens, passwords and web sessions, and links of
 * chat accounts to users. Until the first user exists Gluon is in single-user mode (the installation's
 * token does everything); the installation's token keeps working as an admin afterwards.
 */
import { ALL_WORKSPACES, type Role } from '../../domain/actor.js';
import { AppError, conflict, invalidInput, notFound } from '../../errors.js';
import { newId, nowIso } from '../../ids.js';
import type { TeamRepo, TokenRecord, UserRecord } from '../../storage/team-repo.js';
import { createLoginLimiter } from './login-limiter.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './passwords.js';

/** A web session lasts a week. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const TOKEN_PREFIX = 'gluon_';

export interface NewUser {
  name: string;
  role: Role;
  workspace?: string;
  password?: string;
}

export interface Session {
  id: string;
  csrf: string;
  user: UserRecord;
}

export function createPeople(repo: TeamRepo) {
  const limiter = createLoginLimiter();
  const userNamed = async (name: string) => {
    const user = await repo.findUserByName(name);
    if (!user) throw notFound(`user '${name}'`);
    return user;
  };
  const issueToken = async (user: UserRecord, label: string) => {
    const token = newSecret(TOKEN_PREFIX);
    const record: TokenRecord = {
      id: newId(),
      userId: user.id,
      name: label,
      createdAt: nowIso(),
      revokedAt: null,
    };
    await repo.insertToken({ ...record, hash: hashSecret(token) });
    return { ...record, token };
  };
  const openSession = async (user: UserRecord): Promise<Session> => {
    const id = newSecret();
    const csrf = newSecret();
    const now = Date.now();
    await repo.deleteExpiredSessions(new Date(now).toISOString());
    await repo.insertSession(hashSecret(id), {
      userId: user.id,
      csrf,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_TTL_MS).toISOString(),
    });
    return { id, csrf, user };
  };

  return {
    /** Whether users exist (team mode) or the single token does everything (single-user mode). */
    async teamMode(): Promise<boolean> {
      return (await repo.countUsers()) > 0;
    },
    list: () => repo.listUsers(),
    find: (name: string) => repo.findUserByName(name),
    /** Adds a user with a role (in one workspace, or every one) and a first API token. */
    async add(input: NewUser): Promise<{ user: UserRecord; token: string; firstUser: boolean }> {
      if (input.name === 'owner') throw invalidInput("'owner' names the installation's token");
      if (await repo.findUserByName(input.name)) throw conflict('user_exists', `user '${input.name}' exists`);
      const firstUser = (await repo.countUsers()) === 0;
      const id = newId();
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      await repo.insertUser({ id, name: input.name, passwordHash, oidcSubject: null, createdAt: nowIso() });
      await repo.setRole(id, input.workspace ?? ALL_WORKSPACES, input.role);
      const user = (await repo.findUserById(id))!;
      const { token } = await issueToken(user, 'first token');
      return { user, token, firstUser };
    },
    async setRole(name: string, role: Role, workspace?: string): Promise<UserRecord> {
      const user = await userNamed(name);
      await repo.setRole(user.id, workspace ?? ALL_WORKSPACES, role);
      return (await repo.findUserById(user.id))!;
    },
    async setPassword(name: string, password: string): Promise<void> {
      const user = await userNamed(name);
      await repo.setPasswordHash(user.id, await hashPassword(password));
    },
    async createToken(userName: string, label: string) {
      return issueToken(await userNamed(userName), label);
    },
    async listTokens(userName?: string): Promise<(TokenRecord & { user: string })[]> {
      const users = new Map((await repo.listUsers()).map((u) => [u.id, u.name]));
      const owner = userName ? (await userNamed(userName)).id : undefined;
      return (await repo.listTokens(owner)).map((t) => ({ ...t, user: users.get(t.userId) ?? '?' }));
    },
    async revokeToken(id: string): Promise<void> {
      if (!(await repo.revokeToken(id, nowIso()))) throw notFound(`token '${id}'`);
    },
    /** The user a presented API token belongs to. */
    async userOfToken(token: string): Promise<UserRecord | undefined> {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const found = await repo.findLiveToken(hashSecret(token));
      return found && repo.findUserById(found.userId);
    },
    /** The user and CSRF token of a live session. */
    async session(id: string): Promise<{ user: UserRecord; csrf: string } | undefined> {
      const s = await repo.findSession(hashSecret(id));
      if (!s || s.expiresAt <= nowIso()) return undefined;
      const user = await repo.findUserById(s.userId);
      return user && { user, csrf: s.csrf };
    },
    /**
     * Signs in with a password and opens a session.
     * Rules: 429 after too many failures (per name and per address); 401 for an unknown name, a user
     * without a password and a wrong password alike (the same answer, after the same scrypt work).
     */
    async login(name: string, password: string, address: string): Promise<Session> {
      const wait = limiter.retryAfter(name, address);
      if (wait > 0)
        throw new AppError(429, 'too_many_attempts', `too many failed sign-ins; retry in ${wait} s`);
      const user = await repo.findUserByName(name);
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user?.passwordHash || !ok) {
        limiter.fail(name, address);
        throw new AppError(401, 'bad_credentials', 'wrong user name or password');
      }
      limiter.succeed(name);
      return openSession(user);
    },
    /**
     * Opens a session for a user an OpenID Connect provider vouched for.
     * Rules: the user already bound to the subject; else a user named as the provider's
     * `preferred_username` that has no subject yet (bound now); else 403 — admins add people, sign-in
     * does not create them.
     */
    async loginWithOidc(subject: string, preferredName: string | undefined): Promise<Session> {
      let user = await repo.findUserBySubject(subject);
      if (!user && preferredName) {
        const named = await repo.findUserByName(preferredName);
        if (named && named.oidcSubject === null) {
          await repo.setOidcSubject(named.id, subject);
          user = named;
        }
      }
      if (!user)
        throw new AppError(403, 'unknown_user', 'no Gluon user for this sign-in; ask an admin to add you');
      return openSession(user);
    },
    logout: (id: string) => repo.deleteSession(hashSecret(id)),
    async link(surface: string, externalId: string, userName: string): Promise<void> {
      await repo.linkAccount(surface, externalId, (await userNamed(userName)).id);
    },
    linkedUser: (surface: string, externalId: string) => repo.findLinkedUser(surface, externalId),
  };
}

/** Verified against when the user is unknown, so that both answers take the same time. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export type People = ReturnType<typeof createPeople>;
