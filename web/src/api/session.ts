/**
 * A web session (signed in with a user name and password, or single sign-on) instead of a token: the
 * session itself is an HttpOnly cookie the page never sees; the page keeps only the session's CSRF token,
 * in memory, as `session:<csrf>` where a token would be. Nothing of it is saved in localStorage.
 */
const PREFIX = 'session:';

/** The credential of a session with this CSRF token. */
export const sessionCredential = (csrf: string): string => `${PREFIX}${csrf}`;

/** The CSRF token of a session credential; null for a token. */
export function csrfOf(credential: string): string | null {
  return credential.startsWith(PREFIX) ? credential.slice(PREFIX.length) : null;
}
