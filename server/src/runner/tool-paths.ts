/**
 * Real paths for the approval policy: a path the agent names may pass through symlinks (one it made
 * itself in its worktree, or one the repository ships), so the policy judges where it really lands.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { toolTargets } from '../domain/tool-targets.js';

/** More symlinks than this on one path is a loop (Linux stops at 40 too). */
const MAX_HOPS = 40;
/** What a path that loops resolves to: a NUL makes it "outside" for the policy, never "inside". */
const LOOP = '/\0symlink-loop';

/**
 * Follows `abs` one component at a time as the kernel does: `..` goes up from where the symlinks so far
 * led; a symlink (dangling or not) is replaced by its target; the first component that does not exist
 * ends the walk, and the rest is appended as text.
 */
function walk(abs: string, hops: { n: number }): string {
  const parts = abs.split('/').filter((p) => p !== '' && p !== '.');
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let link: string | null = null;
    try {
      link = lstatSync(next).isSymbolicLink() ? readlinkSync(next) : null;
    } catch {
      return path.join(next, ...parts.slice(i + 1));
    }
    if (link === null) current = next;
    else if (++hops.n > MAX_HOPS) return LOOP;
    else current = walk(path.resolve(current, link), hops);
    if (current === LOOP) return LOOP;
  }
  return current;
}

/**
 * Every place `target` may really land (one, or two when it holds `..`).
 * Rules: `~` and `~/…` are the agent's home; a relative path is taken against `cwd`; each component is
 * followed through symlinks, dangling ones included, up to the first that does not exist; a `..` is read
 * both ways a tool might: as text before any lookup (`a/link/../b` → `a/b`) and as the kernel does, after
 * the symlink before it; a path with a NUL is returned unchanged.
 */
export function realTargets(target: string, cwd: string, home: string | undefined): string[] {
  if (target.includes('\0')) return [target];
  let expanded = target;
  if (home && (target === '~' || target.startsWith('~/'))) expanded = path.join(home, target.slice(1));
  const joined = path.isAbsolute(expanded) ? expanded : `${cwd}/${expanded}`;
  const textual = walk(path.resolve(joined), { n: 0 });
  const kernel = walk(joined, { n: 0 });
  return textual === kernel ? [textual] : [textual, kernel];
}

/** The real places of every path a tool call names, by input field (see domain/tool-targets.ts). */
export function realToolPaths(
  name: string,
  input: Record<string, unknown>,
  cwd: string,
  home: string | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of toolTargets(name, input)) out[t.field] = realTargets(t.path, cwd, home);
  return out;
}

/** The real path of a directory, or the path itself (absolute) when it does not exist. */
export function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
