/**
 * Helpers of the reliability tests: a `gluon serve` process over a data directory, the processes living
 * in a directory, the database's integrity, another process holding the database's write lock, and the
 * scale knob (`GLUON_SOAK=1` runs the figures of shared/reliability.md; the default is smaller and quick).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { isAlive } from '../../server/src/runner/process-group.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import { ROOT, spawnServe } from './harness.js';

/** The full figures run with GLUON_SOAK=1; without it, `quick`. */
export const SOAK = process.env.GLUON_SOAK === '1';
export const scale = (quick: number, soak: number): number => (SOAK ? soak : quick);

export interface Serve {
  child: ChildProcess;
  client: GluonClient;
  url: string;
  token: string;
  /** What the server has logged since it started serving (stderr). */
  log(): string;
}

/** Starts `gluon serve` on `port` over `home` and a client for it. */
export async function serve(home: string, env: NodeJS.ProcessEnv, port: number): Promise<Serve> {
  const child = await spawnServe(home, env, port);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
  const url = `http://127.0.0.1:${port}`;
  return { child, client: createClient({ baseUrl: url, token }), url, token, log: () => log };
}

/** Waits until `pred` holds (checked every 200 ms), or fails saying what it waited for. */
export async function until(pred: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ends a server: `SIGKILL` (a crash) or `SIGTERM` (a clean stop); resolves once it has exited. */
export async function stop(child: ChildProcess | undefined, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Runs `gluon serve` expecting it to refuse to start: its exit code and everything it printed. */
export function serveRefused(
  home: string,
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'gluon.js'), 'serve', '--port', String(port)],
      {
        env: { ...env, GLUON_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // It started after all: stop it, the caller's assertions will say so.
      if (out.includes('serving on')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Live processes whose working directory is `dir` or inside it. */
export function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids.filter(isAlive);
}

/** SQLite's own integrity check of the data directory's database ('ok' when sound). */
export function integrityOf(home: string): string {
  const db = new Sqlite(path.join(home, 'gluon.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
  } finally {
    db.close();
  }
}

/**
 * Another process (Python's sqlite3, not Node) takes the database's write lock (`BEGIN EXCLUSIVE`) and
 * holds it until `release()`.
 */
export async function holdWriteLock(dbFile: string): Promise<{ release(): Promise<void> }> {
  const script = [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)',
    "c.execute('BEGIN EXCLUSIVE')",
    "print('locked', flush=True)",
    'sys.stdin.read()',
    "c.execute('ROLLBACK')",
  ].join('\n');
  const child = spawn('python3', ['-c', script, dbFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the locking process exited (${code})`)));
  });
  return {
    async release() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    },
  };
}
