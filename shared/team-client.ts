/**
 * The team methods of the typed client (users, tokens, sign-in, audit), spread into `createClient`.
 */
import type {
  AuditEntryDto,
  AuditQuery,
  AuditVerifyDto,
  AuthConfigDto,
  CreatedTokenDto,
  CreatedUserDto,
  CreateUserBody,
  MeDto,
  RoleName,
  TokenDto,
  UserDto,
} from './team.js';
import { query, type Request } from './client-http.js';

export function teamMethods(request: Request) {
  const user = (name: string) => `/api/users/${encodeURIComponent(name)}`;
  return {
    me: () => request<MeDto>('GET', '/api/me'),
    authConfig: () => request<AuthConfigDto>('GET', '/api/auth/config'),
    login: (name: string, password: string) => request<MeDto>('POST', '/api/auth/login', { name, password }),
    logout: () => request<void>('POST', '/api/auth/logout'),
    listUsers: () => request<UserDto[]>('GET', '/api/users'),
    addUser: (body: CreateUserBody) => request<CreatedUserDto>('POST', '/api/users', body),
    setRole: (name: string, role: RoleName, workspace?: string) =>
      request<UserDto>('PUT', `${user(name)}/role`, { role, workspace }),
    setPassword: (name: string, password: string) =>
      request<void>('PUT', `${user(name)}/password`, { password }),
    linkAccount: (name: string, surface: 'telegram' | 'discord', account: string) =>
      request<void>('POST', `${user(name)}/links`, { surface, account }),
    listTokens: (forUser?: string) => request<TokenDto[]>('GET', `/api/tokens${query({ user: forUser })}`),
    createToken: (name: string, forUser?: string) =>
      request<CreatedTokenDto>('POST', '/api/tokens', { name, user: forUser }),
    revokeToken: (id: string) => request<void>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
    audit: (q: Partial<AuditQuery> = {}) =>
      request<AuditEntryDto[]>(
        'GET',
        `/api/audit${query({ user: q.user, since: q.since, after: q.after as number | undefined, limit: q.limit as number | undefined })}`,
      ),
    verifyAudit: () => request<AuditVerifyDto>('GET', '/api/audit/verify'),
  };
}
