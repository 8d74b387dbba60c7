/**
 * Fuzzy matching of file paths for `@` completion: the query's characters must appear in order; matches
 * in the file name, at word starts and in a row rank higher. Pure and allocation-light, so 20,000 paths
 * are scored in a few milliseconds.
 */
export interface FuzzyMatch {
  path: string;
  score: number;
  /** Indexes of the matched characters in `path`. */
  positions: number[];
}

const BOUNDARY = new Set(['/', '_', '-', '.', ' ']);

function isBoundary(path: string, i: number): boolean {
  if (i === 0) return true;
  const prev = path[i - 1]!;
  if (BOUNDARY.has(prev)) return true;
  const ch = path[i]!;
  return prev === prev.toLowerCase() && ch !== ch.toLowerCase(); // camelCase hump
}

/** Greedy in-order match of `q` in `lower` from `from`, preferring word starts; null when absent. */
function matchFrom(path: string, lower: string, q: string, from: number): number[] | null {
  const positions: number[] = [];
  let at = from;
  for (const ch of q) {
    const next = lower.indexOf(ch, at);
    if (next < 0) return null;
    // A word start a little further on reads better than a letter in the middle of a word.
    let pick = next;
    const prevMatched = positions.at(-1);
    if (prevMatched === undefined || next !== prevMatched + 1) {
      for (let j = next; j < Math.min(lower.length, next + 24); j += 1)
        if (lower[j] === ch && isBoundary(path, j)) {
          pick = j;
          break;
        }
    }
    positions.push(pick);
    at = pick + 1;
  }
  return positions;
}

/**
 * Scores one path against a lower-case query, or null when it does not match.
 * Rules: a match inside the file name beats one across directories; an exact or prefix file name wins
 * most; each character right after the previous one and each word start adds; long paths lose a little.
 */
export function scorePath(path: string, lower: string, q: string): FuzzyMatch | null {
  if (!q) return { path, score: -path.length, positions: [] };
  const nameStart = lower.lastIndexOf('/') + 1;
  const inName = matchFrom(path, lower, q, nameStart);
  const positions = inName ?? matchFrom(path, lower, q, 0);
  if (!positions) return null;
  let score = inName ? 40 : 0;
  const name = lower.slice(nameStart);
  if (name === q || name.startsWith(`${q}.`)) score += 60;
  else if (name.startsWith(q)) score += 30;
  for (let k = 0; k < positions.length; k += 1) {
    if (k > 0 && positions[k] === positions[k - 1]! + 1) score += 6;
    if (isBoundary(path, positions[k]!)) score += 4;
  }
  score -= (positions.at(-1)! - positions[0]!) * 0.2 + path.length * 0.05;
  return { path, score, positions };
}

/** The best `limit` matches of `query` among `paths` (with their lower-case forms), best first. */
export function fuzzyFilter(
  paths: readonly string[],
  lowers: readonly string[],
  query: string,
  limit: number,
): FuzzyMatch[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const found: FuzzyMatch[] = [];
  for (let i = 0; i < paths.length; i += 1) {
    const m = scorePath(paths[i]!, lowers[i]!, q);
    if (m) found.push(m);
  }
  found.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return found.slice(0, limit);
}
