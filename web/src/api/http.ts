/**
 * The dashboard's API client: the shared typed client (shared/client.ts) against this origin with the
 * saved token. Web and server ship together, so there is one contract and no fallback for other servers.
 */
import { ApiError, createClient, type GluonClient } from '../../../shared/client.js';

/** Builds the dashboard's client for `token` against this origin (or `baseUrl`). */
export function createWebApi(token: string, baseUrl: string = window.location.origin): GluonClient {
  return createClient({ baseUrl, token });
}

export type WebApi = GluonClient;

export { ApiError };
