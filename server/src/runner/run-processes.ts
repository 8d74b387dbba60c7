/**
 * Every process of one agent run, including the ones that left its process group (`setsid`, a double
 * fork, a daemon): on Linux a cgroup v2 per run when the server may create one (nothing leaves a cgroup
 * by itself), and always an environment marker, `GLUON_RUN_ID`, that children inherit and that is found
 * by scanning `/proc/<pid>/environ` (a process that clears its environment escapes the marker, not the
 * cgroup).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, isGroupAlive } from './process-group.js';

export const RUN_MARKER = 'GLUON_RUN_ID';
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RunProcesses {
  /** The variables the run's root process must get so that its descendants carry the marker. */
  readonly env: Record<string, string>;
  /** The run's cgroup directory, or null when only the marker tracks it. */
  readonly cgroup: string | null;
  /** Every process of the run is in its cgroup, which alone lists them from now on (see `trackRunProcesses`). */
  readonly sealed: boolean;
  /**
   * Puts the run's root process into the cgroup, right after spawn: before it has started anything of its
   * own (Claude Code takes a while to start a tool); anything forked sooner is found by the marker and
   * moved in after it.
   */
  adopt(pid: number): void;
  /** The live processes of the run (never the server itself). */
  pids(): number[];
  /**
   * Whether anything of the run lives: its processes, or a member of the root's process group `pgid` (one
   * that cleared its environment); a sealed cgroup holds the group's members too, so then only it is read.
   */
  anyAlive(pgid: number): boolean;
  /** Sends `signal` to every live process of the run. */
  signal(signal: NodeJS.Signals): void;
  /**
   * Removes the cgroup once it is empty, retrying while its last processes are reaped (no-op without one);
   * a marked process that left the cgroup meanwhile is killed first.
   */
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

const cgroupOf = (runId: string, parent: string) => path.join(parent, `gluon-run-${runId}`);

/** A cgroup for the run under the server's own, or null when the server may not create one. */
function createCgroup(runId: string): string | null {
  const parent = ownCgroupDir();
  if (parent === null) return null;
  const dir = cgroupOf(runId, parent);
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

/** How often, 200 ms apart, a cgroup is tried for removal: its last processes may wait to be reaped. */
const DISPOSE_TRIES = 50;

/** Removes an empty cgroup; while it still holds exiting processes, tries again later (never holding the server up). */
function removeWhenEmpty(dir: string, tries: number): void {
  try {
    rmdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || tries <= 1) return;
    setTimeout(() => removeWhenEmpty(dir, tries - 1), 200).unref();
  }
}

const needleOf = (runId: string) => `\0${RUN_MARKER}=${runId}\0`;
const isOtherPid = (entry: string) => /^\d+$/.test(entry) && Number(entry) !== process.pid;

/** Processes whose initial environment holds `GLUON_RUN_ID=<runId>` (other users' are unreadable: skipped). */
export function markedProcesses(runId: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = needleOf(runId);
  const out: number[] = [];
  for (const entry of entries.filter(isOtherPid)) {
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(needle)) out.push(Number(entry));
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return out;
}

/** `markedProcesses`, read off the event loop (every process's environment: ~5 ms on a quiet machine). */
async function markedProcessesLater(runId: string): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const needle = needleOf(runId);
  const found = await Promise.all(
    entries.filter(isOtherPid).map(async (entry) => {
      const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
      return `\0${environ}`.includes(needle) ? Number(entry) : null;
    }),
  );
  return found.filter((pid) => pid !== null);
}

function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Exited meanwhile.
  }
}

/** Scans after adoption before the cgroup alone is trusted (each moves in what the previous one found). */
const SEAL_SCANS = 5;

/**
 * Starts tracking a run's processes.
 * Rules: the cgroup is made when the server's cgroup v2 lets it (else tracking is by marker alone);
 * a run id that is not a plain identifier is replaced by a random one (it becomes a path and a variable).
 * Once the root is adopted, every marked process outside the cgroup (forked before the move) is moved in,
 * until a scan finds none: from then on ("sealed") the cgroup alone lists the run, without reading every
 * process's environment at each look (the run's end), and `dispose` reads the marker once more, off the
 * event loop, for a process that took itself out of the cgroup.
 */
export function trackRunProcesses(runId?: string): RunProcesses {
  const id = runId && SAFE_ID.test(runId) ? runId : randomBytes(8).toString('hex');
  const cgroup = createCgroup(id);
  const procsFile = cgroup && path.join(cgroup, 'cgroup.procs');
  let sealed = false;
  const pids = () => {
    const found = new Set(sealed ? [] : markedProcesses(id));
    if (procsFile) for (const pid of readPids(procsFile)) found.add(pid);
    found.delete(process.pid);
    return [...found].filter(isAlive);
  };
  async function seal(file: string): Promise<void> {
    for (let scan = 0; scan < SEAL_SCANS; scan++) {
      const inside = new Set(readPids(file));
      const outside = (await markedProcessesLater(id)).filter((pid) => !inside.has(pid) && isAlive(pid));
      if (outside.length === 0) {
        sealed = true;
        return;
      }
      // One that exits meanwhile cannot be moved; the next scan tells whether anything is left outside.
      for (const pid of outside) await writeFile(file, String(pid)).catch(() => undefined);
    }
  }
  return {
    env: { [RUN_MARKER]: id },
    cgroup,
    get sealed() {
      return sealed;
    },
    adopt(pid) {
      if (!procsFile) return;
      // Off the event loop: moving a process between cgroups can take the kernel ~10 ms, and the marker
      // covers what the process starts meanwhile.
      writeFile(procsFile, String(pid))
        .then(() => seal(procsFile))
        .catch(() => {
          // Not allowed after all: the marker still tracks the run (so it does when a process would not move).
        });
    },
    pids,
    anyAlive: (pgid) => (!sealed && isGroupAlive(pgid)) || pids().length > 0,
    signal(signal) {
      for (const pid of pids()) killQuietly(pid, signal);
    },
    dispose() {
      if (!cgroup) return;
      if (!sealed) return removeWhenEmpty(cgroup, DISPOSE_TRIES);
      markedProcessesLater(id)
        .then((left) => {
          for (const pid of left) killQuietly(pid);
        })
        .finally(() => removeWhenEmpty(cgroup, DISPOSE_TRIES))
        .catch(() => undefined);
    },
  };
}

/**
 * Kills what is left of a run an earlier server started (after a crash): the processes marked with its
 * id and those in its cgroup, then removes the cgroup. A recycled pid is never hit: a process counts only
 * by its own environment or cgroup. Returns how many processes were killed.
 */
export function reapRunProcesses(runId: string): number {
  if (!SAFE_ID.test(runId)) return 0;
  const parent = ownCgroupDir();
  const cgroup = parent === null ? null : cgroupOf(runId, parent);
  const pids = new Set(markedProcesses(runId));
  if (cgroup) for (const pid of readPids(path.join(cgroup, 'cgroup.procs'))) pids.add(pid);
  pids.delete(process.pid);
  let killed = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // Gone already.
    }
  }
  if (cgroup) removeWhenEmpty(cgroup, DISPOSE_TRIES);
  return killed;
}
