/**
 * Every process of one agent run, including the ones that left its process group (`setsid`, a double
 * fork, a daemon): on Linux a cgroup v2 per run when the server may create one (nothing leaves a cgroup
 * by itself), and always an environment marker, `GLUON_RUN_ID`, that children inherit and that is found
 * by scanning `/proc/<pid>/environ` (a process that clears its environment escapes the marker, not the
 * cgroup).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './process-group.js';

export const RUN_MARKER = 'GLUON_RUN_ID';
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RunProcesses {
  /** The variables the run's root process must get so that its descendants carry the marker. */
  readonly env: Record<string, string>;
  /** The run's cgroup directory, or null when only the marker tracks it. */
  readonly cgroup: string | null;
  /**
   * Puts the run's root process into the cgroup, right after spawn: before it has started anything of its
   * own (Claude Code takes a while to start a tool); anything forked sooner is still found by the marker.
   */
  adopt(pid: number): void;
  /** The live processes of the run (never the server itself). */
  pids(): number[];
  /** Sends `signal` to every live process of the run. */
  signal(signal: NodeJS.Signals): void;
  /** Removes the cgroup once it is empty (a no-op without one). */
  dispose(): void;
}

/** Where the server's own cgroup v2 is mounted and which one it is in; null off Linux or on cgroup v1 only. */
function ownCgroupDir(): string | null {
  try {
    const mount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((f) => f[f.indexOf('-') + 1] === 'cgroup2')?.[4];
    const own = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    return mount && own !== undefined ? path.join(mount, own) : null;
  } catch {
    return null;
  }
}

/** A cgroup for the run under the server's own, or null when the server may not create one. */
function createCgroup(runId: string): string | null {
  const parent = ownCgroupDir();
  if (parent === null) return null;
  const dir = path.join(parent, `gluon-run-${runId}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EEXIST' ? dir : null;
  }
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Processes whose initial environment holds `GLUON_RUN_ID=<runId>` (other users' are unreadable: skipped). */
export function markedProcesses(runId: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = `\0${RUN_MARKER}=${runId}\0`;
  const out: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(needle)) out.push(Number(entry));
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return out;
}

/**
 * Starts tracking a run's processes.
 * Rules: the cgroup is made when the server's cgroup v2 lets it (else tracking is by marker alone);
 * a run id that is not a plain identifier is replaced by a random one (it becomes a path and a variable).
 */
export function trackRunProcesses(runId?: string): RunProcesses {
  const id = runId && SAFE_ID.test(runId) ? runId : randomBytes(8).toString('hex');
  const cgroup = createCgroup(id);
  const pids = () => {
    const found = new Set(markedProcesses(id));
    if (cgroup) for (const pid of readPids(path.join(cgroup, 'cgroup.procs'))) found.add(pid);
    found.delete(process.pid);
    return [...found].filter(isAlive);
  };
  return {
    env: { [RUN_MARKER]: id },
    cgroup,
    adopt(pid) {
      if (!cgroup) return;
      try {
        writeFileSync(path.join(cgroup, 'cgroup.procs'), String(pid));
      } catch {
        // Not allowed after all: the marker still tracks the run.
      }
    },
    pids,
    signal(signal) {
      for (const pid of pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          // Exited meanwhile.
        }
      }
    },
    dispose() {
      if (!cgroup) return;
      try {
        rmdirSync(cgroup);
      } catch {
        // Not empty yet (a process still exiting) or already gone.
      }
    },
  };
}
