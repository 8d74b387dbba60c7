/**
 * Runs a task's verify command (`--verify "npm test"`) in its worktree: one command and its arguments,
 * read like a shell would read the words but never given to a shell, with a time limit, its own process
 * group (killed whole on timeout) and its output captured up to a bound.
 */
import { spawn } from 'node:child_process';
import { splitShellCommands } from '../domain/shell-words.js';
import { killProcessGroup } from './process-group.js';

const MAX_OUTPUT = 256 * 1024;

export interface VerifyOutcome {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/**
 * The argv of a verify command, or an error saying why it is not one simple command.
 * Rules: exactly one command; no pipes, `;`, `&&`, redirections or substitutions (a script file can hold
 * those); at least one word.
 */
export function parseVerifyCommand(
  command: string,
): { ok: true; argv: string[] } | { ok: false; error: string } {
  const commands = splitShellCommands(command);
  if (commands.length !== 1)
    return {
      ok: false,
      error: 'the verify command must be one command (put pipelines and && chains in a script)',
    };
  const [only] = commands;
  if (!only || only.words.length === 0) return { ok: false, error: 'the verify command is empty' };
  if (only.redirects.length || only.substitutions.length || only.words.some((w) => w.includes('$('))) {
    return { ok: false, error: 'the verify command may not use redirections or substitutions' };
  }
  return { ok: true, argv: only.words };
}

/** Runs the command in `cwd` with `env`; never throws (a failure to start is a non-zero outcome). */
export function runVerifyCommand(
  command: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<VerifyOutcome> {
  const parsed = parseVerifyCommand(command);
  if (!parsed.ok) return Promise.resolve({ exitCode: null, output: parsed.error, timedOut: false });
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const [file, ...args] = parsed.argv as [string, ...string[]];
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (d: Buffer) => {
      if (output.length < MAX_OUTPUT) output += d.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let killing: Promise<void> | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killing = killProcessGroup(child.pid, { termAfterMs: 2000, killAfterMs: 4000 });
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ exitCode: null, output: `could not run ${file}: ${err.message}`, timedOut: false });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const outcome = { exitCode: timedOut ? null : code, output: output.slice(0, MAX_OUTPUT), timedOut };
      // A command that ran out of time is over once its whole group is (the ladder never rejects).
      resolve(killing ? killing.then(() => outcome) : outcome);
    });
  });
}
