/**
 * Globs of repository paths, as policies name them (`.github/workflows/**`, `infra/**`, `*.pem`):
 * `**` any number of whole segments, `*` and `?` within one segment, `{a,b}` alternatives. A glob without
 * a `/` matches a name in any directory (`*.pem` is `**\/*.pem`), as in .gitignore. Matching is on `/`
 * paths relative to the repository root.
 */

const cache = new Map<string, RegExp>();

function escape(c: string): string {
  return /[.+^$()|[\]\\]/.test(c) ? `\\${c}` : c;
}

/** The regular expression of a glob (whole-path match). */
export function globToRegExp(glob: string): RegExp {
  const known = cache.get(glob);
  if (known) return known;
  // `dir/**` is the directory and everything below it (the suffix added at the end covers the below).
  const pattern = (glob.includes('/') ? glob.replace(/^\.?\//, '') : `**/${glob}`).replace(/\/\*\*$/, '');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((alt) => [...alt].map(escape).join(''))
          .join('|')})`;
        i = end;
      }
    } else out += escape(c);
  }
  // A glob naming a directory (`infra`, `infra/`) covers everything below it too.
  const re = new RegExp(`^${out.replace(/\/$/, '')}(?:/.*)?$`);
  cache.set(glob, re);
  return re;
}

/** The first glob that matches `relativePath`, or null. */
export function matchingGlob(relativePath: string, globs: readonly string[]): string | null {
  const path = relativePath.replace(/^\.\//, '');
  return globs.find((g) => globToRegExp(g).test(path)) ?? null;
}
