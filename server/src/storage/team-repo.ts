/**
 * The team tables (migration 0007_team): users, their roles per workspace, API tokens, web sessions and
 * chat links. Rows ↔ records; tokens and sessions are found by the hash the service computes, never by
 * the secret itself.
 */
import type { Role } from '../domain/actor.js';
import type { Db } from './db.js';

interface UsersTable {
  id: string;
  name: string;
  password_hash: string | null;
  oidc_subject: string | null;
  created_at: string;
}
interface UserRolesTable {
  user_id: string;
  workspace: string;
  role: string;
}
interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}
interface SessionsTable {
  hash: string;
  user_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
}
interface UserLinksTable {
  surface: string;
  external_id: string;
  user_id: string;
}

export interface UserRecord {
  id: string;
  name: string;
  passwordHash: string | null;
  oidcSubject: string | null;
  createdAt: string;
  /** Role per workspace name (`*`: every workspace). */
  roles: Record<string, Role>;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface SessionRecord {
  userId: string;
  csrf: string;
  expiresAt: string;
}

export function createTeamRepo(database: Db) {
  const db = database.withTables<{
    users: UsersTable;
    user_roles: UserRolesTable;
    api_tokens: ApiTokensTable;
    sessions: SessionsTable;
    user_links: UserLinksTable;
  }>();

  const withRoles = async (row: UsersTable | undefined): Promise<UserRecord | undefined> => {
    if (!row) return undefined;
    const roles = await db.selectFrom('user_roles').selectAll().where('user_id', '=', row.id).execute();
    return {
      id: row.id,
      name: row.name,
      passwordHash: row.password_hash,
      oidcSubject: row.oidc_subject,
      createdAt: row.created_at,
      roles: Object.fromEntries(roles.map((r) => [r.workspace, r.role as Role])),
    };
  };
  const userWhere = async (column: 'id' | 'name' | 'oidc_subject', value: string) =>
    withRoles(await db.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst());

  return {
    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insertUser(user: Omit<UserRecord, 'roles'>): Promise<void> {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          name: user.name,
          password_hash: user.passwordHash,
          oidc_subject: user.oidcSubject,
          created_at: user.createdAt,
        })
        .execute();
    },
    findUserById: (id: string) => userWhere('id', id),
    findUserByName: (name: string) => userWhere('name', name),
    findUserBySubject: (subject: string) => userWhere('oidc_subject', subject),
    async listUsers(): Promise<UserRecord[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
      return (await Promise.all(rows.map(withRoles))) as UserRecord[];
    },
    /** Sets the user's role in `workspace` (`*`: every workspace), replacing the one it had there. */
    async setRole(userId: string, workspace: string, role: Role): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('user_roles')
          .where('user_id', '=', userId)
          .where('workspace', '=', workspace)
          .execute();
        await trx.insertInto('user_roles').values({ user_id: userId, workspace, role }).execute();
      });
    },
    async setPasswordHash(userId: string, hash: string | null): Promise<void> {
      await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
    },
    async setOidcSubject(userId: string, subject: string): Promise<void> {
      await db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', userId).execute();
    },

    async insertToken(t: TokenRecord & { hash: string }): Promise<void> {
      await db
        .insertInto('api_tokens')
        .values({
          id: t.id,
          user_id: t.userId,
          name: t.name,
          hash: t.hash,
          created_at: t.createdAt,
          revoked_at: t.revokedAt,
        })
        .execute();
    },
    /** The live (unrevoked) token with this hash. */
    async findLiveToken(hash: string): Promise<TokenRecord | undefined> {
      const r = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r && toToken(r);
    },
    async listTokens(userId?: string): Promise<TokenRecord[]> {
      let q = db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id');
      if (userId) q = q.where('user_id', '=', userId);
      return (await q.execute()).map(toToken);
    },
    /** Revokes a token; false when there is no live token with that id. */
    async revokeToken(id: string, at: string): Promise<boolean> {
      const res = await db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async insertSession(hash: string, s: SessionRecord & { createdAt: string }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          hash,
          user_id: s.userId,
          csrf: s.csrf,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async findSession(hash: string): Promise<SessionRecord | undefined> {
      const r = await db.selectFrom('sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
      return r && { userId: r.user_id, csrf: r.csrf, expiresAt: r.expires_at };
    },
    async deleteSession(hash: string): Promise<void> {
      await db.deleteFrom('sessions').where('hash', '=', hash).execute();
    },
    async deleteExpiredSessions(now: string): Promise<void> {
      await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    },

    /** Links a chat account to a user (a second link of the same account replaces the first). */
    async linkAccount(surface: string, externalId: string, userId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('user_links')
          .where('surface', '=', surface)
          .where('external_id', '=', externalId)
          .execute();
        await trx
          .insertInto('user_links')
          .values({ surface, external_id: externalId, user_id: userId })
          .execute();
      });
    },
    async findLinkedUser(surface: string, externalId: string): Promise<UserRecord | undefined> {
      const r = await db
        .selectFrom('user_links')
        .select('user_id')
        .where('surface', '=', surface)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return r ? userWhere('id', r.user_id) : undefined;
    },
  };
}

function toToken(r: ApiTokensTable): TokenRecord {
  return { id: r.id, userId: r.user_id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at };
}

export type TeamRepo = ReturnType<typeof createTeamRepo>;
