/**
 * The team part of the API contract: users, roles, tokens, sign-in and the audit log (schemas and DTOs).
 */
import { z } from 'zod';

export const ROLE_NAMES = ['viewer', 'operator', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const userName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/,
    'a user name is 1–40 letters, digits, dots, dashes or underscores',
  );
const workspaceName = z.string().min(1).max(100);
const password = z.string().min(8, 'a password has at least 8 characters').max(200);

export const userNameParam = z.strictObject({ name: userName });
export const createUserBody = z.strictObject({
  name: userName,
  role: z.enum(ROLE_NAMES),
  workspace: workspaceName.optional(),
  password: password.optional(),
});
export type CreateUserBody = z.input<typeof createUserBody>;
export const setRoleBody = z.strictObject({ role: z.enum(ROLE_NAMES), workspace: workspaceName.optional() });
export const setPasswordBody = z.strictObject({ password });
export const linkAccountBody = z.strictObject({
  surface: z.enum(['telegram', 'discord']),
  account: z.string().regex(/^[0-9]{1,25}$/, 'a chat account is its numeric id'),
});
export const loginBody = z.strictObject({ name: userName, password: z.string().min(1).max(200) });
export const createTokenBody = z.strictObject({ name: z.string().min(1).max(60), user: userName.optional() });
export const tokenIdParam = z.strictObject({ id: z.string().regex(/^[a-z0-9]{4,32}$/) });
export const listTokensQuery = z.strictObject({ user: userName.optional() });
export const auditQuery = z.strictObject({
  user: z.string().min(1).max(60).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type AuditQuery = z.input<typeof auditQuery>;

export interface UserDto {
  name: string;
  /** Role per workspace; `*` is every workspace. */
  roles: Record<string, RoleName>;
  hasPassword: boolean;
  oidc: boolean;
  createdAt: string;
}

export interface CreatedUserDto {
  user: UserDto;
  /** The user's first API token, shown this once. */
  token: string;
  /** This was the first user: Gluon has left single-user mode. */
  firstUser: boolean;
}

export interface TokenDto {
  id: string;
  user: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedTokenDto extends TokenDto {
  /** The token itself, shown this once. */
  token: string;
}

export interface MeDto {
  user: string;
  roles: Record<string, RoleName>;
  via: 'install-token' | 'token' | 'session';
  /** Users exist (else the installation's token does everything). */
  teamMode: boolean;
  /** A web session's CSRF token, to send as `x-csrf-token` on writes. */
  csrf?: string;
}

export interface AuthConfigDto {
  /** Sign-in with a password is possible (users exist). */
  password: boolean;
  /** An OpenID Connect provider is configured: `GET /api/auth/oidc/start` begins its sign-in. */
  oidc: { name: string } | null;
}

export interface AuditEntryDto {
  seq: number;
  ts: string;
  user: string;
  surface: string;
  action: string;
  target: string | null;
  outcome: 'ok' | 'denied';
  detail: unknown;
  hash: string;
}

export type AuditVerifyDto =
  { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };
