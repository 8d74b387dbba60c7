/**
 * Which protected path a tool call would write: Write/Edit/MultiEdit/NotebookEdit by their file path,
 * Bash by its output redirections and the file arguments of the plain commands that write or remove
 * files (tee, cp, mv, install, ln, touch, rm, truncate, mkdir, rmdir, chmod, chown, sed -i, dd of=).
 * A shell can always hide a write (an interpreter, `cd`, variables): the commit check catches the rest.
 */
import { matchingGlob } from './path-glob.js';
import { splitShellCommands } from './shell-words.js';
import { FILE_WRITERS, locate, toolTargets } from './tool-targets.js';

/** Commands whose every non-option argument is a path they write. */
const ALL_ARGS = new Set([
  'tee',
  'touch',
  'rm',
  'truncate',
  'mkdir',
  'rmdir',
  'chmod',
  'chown',
  'unlink',
  'shred',
]);
/** Commands whose last argument is the path they write. */
const LAST_ARG = new Set(['cp', 'mv', 'install', 'ln', 'rsync']);

function bashTargets(command: string, depth = 0): string[] {
  if (depth > 4) return [];
  const out: string[] = [];
  for (const c of splitShellCommands(command)) {
    out.push(...c.redirects);
    for (const sub of c.substitutions) out.push(...bashTargets(sub, depth + 1));
    // Leading `NAME=value` words set the environment; the command comes after them.
    const first = c.words.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    const words = first < 0 ? [] : c.words.slice(first);
    const name = (words[0] ?? '').split('/').pop() ?? '';
    const args = words.slice(1).filter((w) => !w.startsWith('-'));
    if (ALL_ARGS.has(name)) out.push(...args);
    else if (LAST_ARG.has(name) && args.length > 0) out.push(args[args.length - 1]!);
    else if (name === 'sed' && words.some((w) => /^-[a-zA-Z]*i/.test(w) || w.startsWith('--in-place')))
      out.push(...args.slice(1));
    else if (name === 'dd') out.push(...words.filter((w) => w.startsWith('of=')).map((w) => w.slice(3)));
  }
  return out;
}

/**
 * The protected path (and the glob it matches) a tool call would write inside `worktree`, or null.
 * Paths outside the worktree are not this check's business (the approval policy holds those).
 */
export function protectedWrite(
  tool: { name: string; input: Record<string, unknown> },
  worktree: string,
  globs: readonly string[],
): { path: string; glob: string } | null {
  if (globs.length === 0) return null;
  let paths: string[] = [];
  if (FILE_WRITERS.has(tool.name)) paths = toolTargets(tool.name, tool.input).map((t) => t.path);
  else if (tool.name === 'Bash' && typeof tool.input.command === 'string')
    paths = bashTargets(tool.input.command);
  const root = locate('/', worktree).path;
  for (const p of paths) {
    const placed = locate(root, p);
    if (placed.where !== 'inside') continue;
    const relative = placed.path.slice(root.length).replace(/^\//, '');
    const glob = matchingGlob(relative, globs);
    if (glob) return { path: relative, glob };
  }
  return null;
}
