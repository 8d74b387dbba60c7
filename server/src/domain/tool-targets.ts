/**
 * The file system places a tool call names, and where they land: inside the worktree, in its git
 * metadata, outside it, or behind Gluon's fence (its data directory). Pure text: the runner resolves
 * symlinks first (tool-paths.ts) and hands in real paths; nothing here touches the disk.
 */

/** Tools that read or write one file, and the input field that names it. */
const FILE_FIELD: Record<string, string> = {
  Read: 'file_path',
  NotebookRead: 'notebook_path',
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/** The tools that write the file their path names. */
export const FILE_WRITERS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

export interface ToolTarget {
  /** The input field the path came from. */
  field: string;
  /** The path as the agent wrote it (relative ones are relative to the agent's working directory). */
  path: string;
}

/**
 * The paths a tool call names.
 * - Read/NotebookRead/Write/Edit/MultiEdit/NotebookEdit: their file field, when it is a string;
 * - Glob, Grep, LS: their `path` (the search root); Glob also the fixed start of an absolute
 *   `pattern` (`/etc/**` searches /etc);
 * - other tools name no path.
 */
export function toolTargets(name: string, input: Record<string, unknown>): ToolTarget[] {
  const out: ToolTarget[] = [];
  const add = (field: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') out.push({ field, path: value });
  };
  const field = FILE_FIELD[name];
  if (field !== undefined) add(field, input[field]);
  if (name === 'Glob' || name === 'Grep' || name === 'LS') add('path', input.path);
  if (name === 'Glob' && typeof input.pattern === 'string' && /^[/~]/.test(input.pattern))
    add('pattern', fixedStart(input.pattern));
  return out;
}

/** The leading segments of a glob before the first one with a wildcard (`/a/b/**` → `/a/b`). */
function fixedStart(pattern: string): string {
  const segments = pattern.split('/');
  const magic = segments.findIndex((s) => /[*?[\]{}]/.test(s));
  const fixed = (magic < 0 ? segments : segments.slice(0, magic)).join('/');
  return fixed === '' ? '/' : fixed;
}

/**
 * Where `target` lands relative to `root`.
 * - a relative path is taken against `root`; `.` and `..` are resolved as text;
 * - `~` paths and paths with a NUL count as outside (the home directory is not known here);
 * - Windows roots (`C:\…`) compare with `/` for `\` and without case.
 */
export function locate(root: string, target: string): { where: 'inside' | 'git' | 'outside'; path: string } {
  if (target.startsWith('~') || target.includes('\0')) return { where: 'outside', path: target };
  const windows = /^[A-Za-z]:[\\/]/.test(root);
  const slashed = (p: string) => (windows ? p.replace(/\\/g, '/') : p);
  const rootPath = normalise(slashed(root));
  const raw = slashed(target);
  const absolute = raw.startsWith('/') || (windows && /^[A-Za-z]:\//.test(raw));
  const path = normalise(absolute ? raw : `${rootPath}/${raw}`);
  const key = (p: string) => (windows ? p.toLowerCase() : p);
  if (!within(key(rootPath), key(path))) return { where: 'outside', path };
  const relative = path.slice(rootPath.length).replace(/^\//, '');
  return { where: relative === '.git' || relative.startsWith('.git/') ? 'git' : 'inside', path };
}

/** One entry of a fence: everything under `path` is closed (or, for an exception, open). */
export interface FenceRule {
  path: string;
  open: boolean;
  /** What is behind a closed rule, in words (default: Gluon's data directory). */
  label?: string;
}

/**
 * Whether `path` (absolute, normalised, real) is behind the fence.
 * Rules: of the rules whose path holds `path`, the most specific (longest) decides; none → not fenced.
 * So "the data directory is closed, this task's worktree in it is open, the credentials file in the
 * open agent home is closed again" is three rules.
 */
export function isFenced(path: string, rules: readonly FenceRule[]): boolean {
  return fenceOf(path, rules) !== null;
}

/** The closed rule that fences `path` off (the most specific rule holding it, when closed), or null. */
export function fenceOf(path: string, rules: readonly FenceRule[]): FenceRule | null {
  let best: FenceRule | null = null;
  for (const rule of rules) {
    const root = normalise(rule.path);
    if (within(root, path) && (best === null || root.length > normalise(best.path).length)) best = rule;
  }
  return best !== null && !best.open ? best : null;
}

/** Whether `path` is `root` or below it (both normalised). */
function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** Collapses `//`, `.` and `..` (never above the root); keeps a leading drive letter or `/`. */
export function normalise(path: string): string {
  const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
  const stack: string[] = [];
  for (const part of path.slice(drive.length).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') stack.pop();
    else stack.push(part);
  }
  return `${drive}/${stack.join('/')}`;
}
