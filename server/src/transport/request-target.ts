/**
 * The request target as the gate reads it. Only origin-form targets (`/path?query`) are served: with
 * absolute-form (`GET http://host/api/tasks`) or asterisk-form (`OPTIONS *`), the router and a check on
 * the raw URL could disagree on what was asked. And whatever the router makes of a path, every spelling
 * of /api (encoded, double-encoded, upper case, dot segments, doubled or encoded slashes) counts as /api,
 * so no such spelling ever lands on a public route.
 */
import path from 'node:path';

/** How many rounds of percent-decoding a path gets before it is called hostile. */
const MAX_DECODES = 4;

/** True for an origin-form target: it starts with a single path. */
export function isOriginForm(target: string): boolean {
  return target.startsWith('/');
}

/**
 * The canonical path of a target, or null when it cannot be decoded.
 * Rules: query and fragment dropped; percent-decoded until stable (at most 4 rounds); NUL refused;
 * backslashes read as slashes; doubled slashes and dot segments resolved; lower case.
 */
export function canonicalPath(target: string): string | null {
  let p = target.split(/[?#]/, 1)[0] ?? '';
  for (let round = 0; ; round++) {
    let next: string;
    try {
      next = decodeURIComponent(p);
    } catch {
      return null;
    }
    if (next === p) break;
    if (round === MAX_DECODES) return null;
    p = next;
  }
  if (p.includes('\0')) return null;
  return path.posix.normalize(`/${p.replace(/\\/g, '/')}`).toLowerCase();
}

/**
 * Whether a target names the API under any spelling. A target that cannot be decoded counts as the API
 * (deny by default), and so does a first segment that merely starts with `api` and a separator.
 */
export function isApiTarget(target: string): boolean {
  const p = canonicalPath(target);
  return p === null || /^\/api(?:$|[^a-z0-9])/.test(p);
}
