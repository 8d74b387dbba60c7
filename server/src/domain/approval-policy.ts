/**
 * Which tool calls wait for a human, per the task's approval policy. `auto` lets the agent work freely in
 * its worktree, `careful` also holds destructive shell commands and calls to Gluon itself, `strict` holds
 * every change; Gluon's data directory is refused under all three. Paths are compared as strings (no file
 * system here): the caller hands in real paths, symlinks resolved (runner/tool-paths.ts).
 */
import type { ApprovalPolicy } from '../../../shared/api.js';
import { findDestructiveCommand } from './destructive-command.js';
import { FILE_WRITERS, fenceOf, locate, toolTargets, type FenceRule } from './tool-targets.js';

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

export type ApprovalVerdict =
  | { action: 'allow' }
  /** Waits for a human; `reason` says why in plain words. */
  | { action: 'ask'; reason: string }
  /** Refused whatever a human would say (Gluon's own data). */
  | { action: 'deny'; reason: string };

export interface ApprovalContext {
  /** The agent's working directory, as a real path. */
  worktreePath: string;
  /**
   * Where each path the tool names really lands (see tool-targets.ts), by input field, symlinks resolved
   * by the caller: one place, or more when the path reads two ways; a field missing here is judged by its
   * text, and a call is judged by the worst of its places.
   */
  realPaths?: Record<string, readonly string[]>;
  /** Where the agent may never read nor write: Gluon's data directory, with the task's own places open. */
  fence?: readonly FenceRule[];
  /**
   * Gluon itself, for Bash commands that reach it: its API's port, its data directory's paths, and the
   * places inside them the agent may name freely (its own worktree).
   */
  gluon?: { port: number | null; paths: readonly string[]; open?: readonly string[] };
  /**
   * The agent's commands run in the OS sandbox, which lets them write only in the worktree: a file tool
   * may not write elsewhere either, but for these places (the agent's own home), where it may ask.
   */
  sandbox?: { writable: readonly string[] };
}

const ALLOW: ApprovalVerdict = { action: 'allow' };
const ask = (reason: string): ApprovalVerdict => ({ action: 'ask', reason });

/**
 * Decides whether a tool call runs, waits for approval, or is refused.
 * - any tool naming a path behind the fence (after symlinks): refused, under every policy;
 * - in the sandbox, Write/Edit/MultiEdit/NotebookEdit outside the worktree and the sandbox's writable
 *   places: refused, under every policy (its commands could not write there either);
 * - read-only tools and AskUserQuestion: otherwise never wait;
 * - Write/Edit/MultiEdit/NotebookEdit: wait when the path is missing, resolves outside the worktree, or
 *   into its `.git`, under every policy; under `strict` also inside;
 * - Bash: `auto` never waits; `careful` waits when the command is destructive (destructive-command.ts)
 *   or reaches Gluon itself (its API address, its data directory); `strict` always, naming the reason;
 * - any other tool (MCP tools, new built-ins): only under `strict`, since its effect is unknown.
 */
export function decideApproval(
  policy: ApprovalPolicy,
  tool: { name: string; input: unknown },
  ctx: ApprovalContext,
): ApprovalVerdict {
  const input =
    typeof tool.input === 'object' && tool.input !== null ? (tool.input as Record<string, unknown>) : {};
  const placed = toolTargets(tool.name, input).flatMap((t) =>
    (ctx.realPaths?.[t.field] ?? [t.path]).map((p) => locate(ctx.worktreePath, p)),
  );
  for (const t of placed) {
    const rule = fenceOf(t.path, ctx.fence ?? []);
    if (rule)
      return { action: 'deny', reason: `${rule.label ?? "Gluon's data directory"} is off limits: ${t.path}` };
  }
  if (NEVER_ASK.has(tool.name)) return ALLOW;

  if (FILE_WRITERS.has(tool.name)) {
    if (placed.length === 0) return ask(`${tool.name} without a file path: cannot tell where it writes`);
    const outside = placed.find((p) => p.where === 'outside');
    const writable = ctx.sandbox?.writable ?? [];
    if (outside && ctx.sandbox && writable.every((w) => locate(w, outside.path).where === 'outside'))
      return {
        action: 'deny',
        reason: `the sandbox lets the agent write only in its worktree, not ${outside.path}`,
      };
    if (outside) return ask(`writes outside the worktree: ${outside.path}`);
    const git = placed.find((p) => p.where === 'git');
    if (git) return ask(`writes git metadata: ${git.path}`);
    if (policy === 'strict') return ask(`strict policy: every ${tool.name} waits for approval`);
    return ALLOW;
  }

  if (tool.name === 'Bash') {
    if (policy === 'auto') return ALLOW;
    const command = input.command;
    if (typeof command !== 'string') return ask('Bash without a command to check');
    const danger = findDestructiveCommand(command);
    if (danger !== null) return ask(danger);
    const gluon = ctx.gluon ? reachesGluon(command, ctx.gluon) : null;
    if (gluon !== null) return ask(`reaches Gluon itself (its API or its data): ${gluon}`);
    if (policy === 'strict') return ask('strict policy: every Bash command waits for approval');
    return ALLOW;
  }

  if (policy === 'strict') return ask(`strict policy: ${tool.name} is not known to be read-only`);
  return ALLOW;
}

/**
 * What in `command` points at Gluon, or null.
 * - `:PORT` not followed by a digit: any host naming Gluon's API port (`127.0.0.1:45866`, `localhost:45866`,
 *   `127.1:45866`); a shell can always hide it, so this catches the plain ways, not a determined agent;
 * - any of Gluon's paths (its data directory, the token file) written out, unless that mention, read up
 *   to the next shell delimiter and resolved as text, lies in an open place (`cd <its worktree> && npm
 *   test` is ordinary work; `<its worktree>/../../token` is not).
 */
function reachesGluon(command: string, gluon: NonNullable<ApprovalContext['gluon']>): string | null {
  if (gluon.port !== null) {
    const port = new RegExp(`:${gluon.port}(?![0-9])`).exec(command);
    if (port) return `port ${gluon.port}`;
  }
  // The path written at `at`, up to the shell's next delimiter, resolved as text: inside an open place?
  const isOpenAt = (at: number) => {
    const written = /^[^\s'"`;&|()<>]*/.exec(command.slice(at))?.[0] ?? '';
    return (gluon.open ?? []).some((o) => locate(o, written).where !== 'outside');
  };
  for (const p of gluon.paths) {
    if (p.length <= 1) continue;
    for (let at = command.indexOf(p); at >= 0; at = command.indexOf(p, at + 1)) if (!isOpenAt(at)) return p;
  }
  return null;
}
