/**
 * The dashboard's API client: the shared typed client (shared/client.ts) against this origin with the
 * saved token, or with the session cookie and its CSRF token (session.ts). Web and server ship together,
 * so there is one contract and no fallback for other servers.
 */
import { ApiError, createClient, type GluonClient } from '../../../shared/client.js';
import { csrfOf } from './session.js';

/** Builds the dashboard's client for `credential` (a token or a session) against this origin (or `baseUrl`). */
export function createWebApi(credential: string, baseUrl: string = window.location.origin): GluonClient {
  const csrf = csrfOf(credential);
  if (csrf !== null)
    return createClient({ baseUrl, headers: () => ({ 'x-gluon-surface': 'web', 'x-csrf-token': csrf }) });
  return createClient({ baseUrl, token: credential, headers: () => ({ 'x-gluon-surface': 'web' }) });
}

export type WebApi = GluonClient;

export { ApiError };
