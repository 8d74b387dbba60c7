/**
 * Which tool calls wait for a human, per the task's approval policy. `auto` lets the agent work freely in
 * its worktree, `careful` also holds destructive shell commands, `strict` holds every change. Paths are
 * compared as strings (no file system here): the runner must still resolve symlinks before trusting a path.
 */
import type { ApprovalPolicy } from '../../../shared/api.js';
import { findDestructiveCommand } from './destructive-command.js';

export interface ApprovalVerdict {
  needsApproval: boolean;
  /** In plain words, why the call waits (shown to the human who decides). */
  reason?: string;
}

/** Tools that only read or talk; they never wait. AskUserQuestion is a question, not an approval. */
const NEVER_ASK = new Set([
  'AskUserQuestion',
  'Read',
  'Grep',
  'Glob',
  'LS',
  'NotebookRead',
  'WebSearch',
  'WebFetch',
  'TodoWrite',
  'Task',
  'Agent',
  'BashOutput',
  'TaskOutput',
  'KillShell',
  'KillBash',
  'TaskStop',
  'ListMcpResourcesTool',
  'ReadMcpResourceTool',
  'EnterPlanMode',
  'ExitPlanMode',
]);

/** Tools that write one file, and the input field that names it. */
const FILE_WRITERS: Record<string, string> = {
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/**
 * Decides whether a tool call waits for approval.
 * - read-only tools and AskUserQuestion: never;
 * - Write/Edit/MultiEdit/NotebookEdit: always when the path is missing, resolves outside the worktree, or
 *   into its `.git`; under `strict` also inside;
 * - Bash: `auto` never; `careful` when the command is destructive (see destructive-command.ts); `strict`
 *   always, naming the danger when there is one;
 * - any other tool (MCP tools, new built-ins): only under `strict`, since its effect is unknown.
 */
export function decideApproval(
  policy: ApprovalPolicy,
  tool: { name: string; input: unknown },
  ctx: { worktreePath: string },
): ApprovalVerdict {
  if (NEVER_ASK.has(tool.name)) return { needsApproval: false };
  const input =
    typeof tool.input === 'object' && tool.input !== null ? (tool.input as Record<string, unknown>) : {};

  const pathField = FILE_WRITERS[tool.name];
  if (pathField !== undefined) {
    const target = input[pathField];
    if (typeof target !== 'string' || target.trim() === '') {
      return { needsApproval: true, reason: `${tool.name} without a file path: cannot tell where it writes` };
    }
    const place = locate(ctx.worktreePath, target);
    if (place.where === 'outside')
      return { needsApproval: true, reason: `writes outside the worktree: ${place.path}` };
    if (place.where === 'git') return { needsApproval: true, reason: `writes git metadata: ${place.path}` };
    if (policy === 'strict')
      return { needsApproval: true, reason: `strict policy: every ${tool.name} waits for approval` };
    return { needsApproval: false };
  }

  if (tool.name === 'Bash') {
    if (policy === 'auto') return { needsApproval: false };
    const command = input.command;
    if (typeof command !== 'string')
      return { needsApproval: true, reason: 'Bash without a command to check' };
    const danger = findDestructiveCommand(command);
    if (danger !== null) return { needsApproval: true, reason: danger };
    if (policy === 'strict')
      return { needsApproval: true, reason: 'strict policy: every Bash command waits for approval' };
    return { needsApproval: false };
  }

  if (policy === 'strict')
    return { needsApproval: true, reason: `strict policy: ${tool.name} is not known to be read-only` };
  return { needsApproval: false };
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
  const prefix = rootPath.endsWith('/') ? rootPath : `${rootPath}/`;
  if (key(path) !== key(rootPath) && !key(path).startsWith(key(prefix))) return { where: 'outside', path };
  const relative = path.slice(prefix.length);
  return { where: relative === '.git' || relative.startsWith('.git/') ? 'git' : 'inside', path };
}

/** Collapses `//`, `.` and `..` (never above the root); keeps a leading drive letter or `/`. */
function normalise(path: string): string {
  const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
  const stack: string[] = [];
  for (const part of path.slice(drive.length).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') stack.pop();
    else stack.push(part);
  }
  return `${drive}/${stack.join('/')}`;
}
