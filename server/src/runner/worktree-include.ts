/**
 * `worktreeInclude`: copies untracked files the project names by glob (`.env`, `config/*.local.json`) from
 * the user's checkout into a new worktree, so the agent can run the project. Only regular files inside
 * the checkout are read (symlinks are never followed), and only paths inside the worktree are written,
 * never over an existing file. The copies are recorded (included-files.ts): Gluon never commits them.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { recordIncluded, sha256Of } from './included-files.js';

/** Caps that keep a pattern like `**` from copying a dependency tree. */
const MAX_FILES = 200;
const MAX_BYTES = 20 * 1024 * 1024;

export interface IncludeResult {
  copied: string[];
  skipped: { path: string; reason: string }[];
}

/**
 * Whether `pattern` is acceptable. Rules: relative, `/`-separated, no empty, `.` or `..` segment, no NUL,
 * no backslash, no leading `-`, at most 200 characters; `*` `?` and whole-segment `**` are the only magic.
 */
export function isSafeIncludePattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > 200 || /[\0\\]/.test(pattern)) return false;
  if (pattern.startsWith('/') || pattern.startsWith('-')) return false;
  return pattern
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..' && (s === '**' || !s.includes('**')));
}

function segmentRegex(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Relative paths under `root` matching the pattern's segments; `.git` and symlinked directories are skipped. */
async function expand(root: string, rel: string, segments: string[], out: Set<string>): Promise<void> {
  if (out.size > MAX_FILES) return;
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (head === '**') {
    await expand(root, rel, rest, out); // zero directories
    for (const entry of await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory() && entry.name !== '.git')
        await expand(root, path.posix.join(rel, entry.name), segments, out);
    }
    return;
  }
  const matcher = segmentRegex(head);
  for (const entry of await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])) {
    if (entry.name === '.git' || !matcher.test(entry.name)) continue;
    const child = path.posix.join(rel, entry.name);
    if (rest.length === 0) out.add(child);
    else if (entry.isDirectory()) await expand(root, child, rest, out);
  }
}

const inside = (root: string, target: string) => target === root || target.startsWith(root + path.sep);

/** Creates `rel` under `root` one level at a time; false if any existing level is not a real directory. */
async function makeRealDirs(root: string, rel: string): Promise<boolean> {
  let current = root;
  for (const part of rel === '.' ? [] : rel.split('/')) {
    current = path.join(current, part);
    const info = await lstat(current).catch(() => null);
    if (info === null) await mkdir(current);
    else if (!info.isDirectory()) return false;
  }
  return true;
}

/**
 * Copies the files matching `patterns` from `from` (the checkout) to the same paths in `to` (a worktree).
 * Rules: unsafe patterns are skipped; a match must be a regular file (not a symlink) whose real path is
 * inside the checkout; every directory on the way to its destination must be a real directory (a tracked
 * symlink in the worktree cannot redirect the copy); an existing destination is never overwritten; at most 200 files and 20 MB;
 * what was copied is recorded in the worktree's git directory, so it is never committed nor pushed.
 */
export async function copyIncludedFiles(
  from: string,
  to: string,
  patterns: readonly string[],
): Promise<IncludeResult> {
  const result: IncludeResult = { copied: [], skipped: [] };
  const [srcRoot, dstRoot] = [await realpath(from), await realpath(to)];
  const matches = new Set<string>();
  for (const pattern of patterns) {
    if (isSafeIncludePattern(pattern)) await expand(srcRoot, '', pattern.split('/'), matches);
    else result.skipped.push({ path: pattern, reason: 'unsafe pattern' });
  }
  let bytes = 0;
  for (const rel of [...matches].sort()) {
    const skip = (reason: string) => result.skipped.push({ path: rel, reason });
    if (result.copied.length >= MAX_FILES) {
      skip('too many files');
      continue;
    }
    const source = path.join(srcRoot, rel);
    const info = await lstat(source);
    if (info.isSymbolicLink()) skip('symbolic link');
    else if (!info.isFile())
      continue; // a directory matched a pattern's last segment: not a file to copy
    else if (!inside(srcRoot, await realpath(source))) skip('outside the repository');
    else if (bytes + info.size > MAX_BYTES) skip('size limit reached');
    else {
      const target = path.join(dstRoot, rel);
      if (!(await makeRealDirs(dstRoot, path.posix.dirname(rel))))
        skip('destination through a symbolic link');
      else {
        try {
          await copyFile(source, target, constants.COPYFILE_EXCL);
          bytes += info.size;
          result.copied.push(rel);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          skip('already in the worktree');
        }
      }
    }
  }
  await recordIncluded(
    dstRoot,
    await Promise.all(
      result.copied.map(async (rel) => ({ path: rel, sha256: await sha256Of(path.join(dstRoot, rel)) })),
    ),
  );
  return result;
}
