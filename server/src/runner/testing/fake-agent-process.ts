/**
 * A real, idle process standing in for the agent's (`cat` reading a pipe from us): it leads its own
 * process group like Claude Code's, so health checks, `stop()` and "no process left" see a real pid. It
 * also exits by itself when the test process dies (its stdin closes), so a forgotten run leaves nothing.
 * Not a product module.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { killProcessGroup } from '../process-group.js';

export interface FakeProcess {
  readonly pid: number;
  /** Ends it as a finished agent ends (its input closes). */
  finish(): Promise<void>;
  /** Dies at once (SIGKILL to the group), as a crashed agent does. */
  kill(): Promise<void>;
  /** The real adapter's ladder: SIGINT, then SIGTERM, then SIGKILL on the group. */
  stop(ladder: { termAfterMs: number; killAfterMs: number }): Promise<void>;
}

/** Starts the stand-in; null when it cannot start (the run goes on without a process). */
export async function startFakeProcess(): Promise<FakeProcess | null> {
  const child: ChildProcess = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned || child.pid === undefined) return null;
  const pid = child.pid;
  child.stdin?.on('error', () => {});
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    pid,
    async finish() {
      child.stdin?.end();
      await exited;
    },
    async kill() {
      signal('SIGKILL');
      await exited;
    },
    async stop(ladder) {
      await killProcessGroup(pid, ladder);
      await exited;
    },
  };
}
