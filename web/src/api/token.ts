/**
 * The server's API token in the browser: entered once on the login page, or passed by the
 * `#token=…` link that `gluon serve` prints, then kept in localStorage. Never put in a URL we send.
 */
const KEY = 'gluon.token';
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,512}$/;

/** Whether a string looks like a token (so garbage never reaches a header). */
export function isTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export function readToken(storage: Pick<Storage, 'getItem'> = localStorage): string | null {
  const value = storage.getItem(KEY);
  return value && isTokenShaped(value) ? value : null;
}

export function saveToken(token: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Pick<Storage, 'removeItem'> = localStorage): void {
  storage.removeItem(KEY);
}

/**
 * Takes a token from a `#token=…` fragment and removes the fragment from the address bar, so that the
 * token does not stay in the history or get copied along with the link.
 * Rules: only a well-shaped token is taken; other fragments are left alone.
 */
export function takeTokenFromHash(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'>,
  hist: Pick<History, 'replaceState'>,
): string | null {
  const match = /^#token=([^&]+)$/.exec(loc.hash);
  if (!match?.[1]) return null;
  const token = decodeURIComponent(match[1]);
  hist.replaceState(null, '', `${loc.pathname}${loc.search}`);
  return isTokenShaped(token) ? token : null;
}
