import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

const GUARDS = `const { installProcessGuards, pinYoungGeneration } = await import(${JSON.stringify(path.join(here, 'process-guards.ts'))});
  installProcessGuards();
  pinYoungGeneration();`;

/** Runs `body` in a fresh Node process, after the guards (as a serving command sets them) when `withGuards`. */
function run(withGuards: boolean, body: string) {
  const script = `${withGuards ? GUARDS : ''}\n${body}`;
  return spawnSync(process.execPath, [tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
}

/** The same in the background (for scripts that wait): its exit status and output. */
function runAsync(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [tsx, '--input-type=module', '-e', script]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** An unhandled rejection, which ends a process by default. */
const REJECTION = `
  void Promise.reject(new Error('disk full while writing an event'));
  await new Promise((r) => setTimeout(r, 50));
  console.log('still serving');
`;

/** A burst of short-lived allocation (some of it surviving a scavenge or two, as a server's does). */
const ALLOCATE = `
  let keep = [];
  for (let i = 0; i < 3e6; i++) {
    keep.push({ i, s: 'event ' + i });
    if (keep.length > 200000) keep = [];
  }
  keep = null;
`;

/** The burst, then the young generation's size in bytes. */
const BURST = `
  const v8 = await import('node:v8');
  const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  const before = young();
  ${ALLOCATE}
  console.log(JSON.stringify({ before, after: young() }));
`;

/**
 * The young generation grown as loading a server's code grows it, the guards installed after (as the
 * commands do), then some seconds of quiet: its capacity then, and before the burst, in bytes.
 */
const GROWN_THEN_QUIET = (withGuards: boolean) => `
  const v8 = await import('node:v8');
  const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  const before = young();
  ${ALLOCATE}
  const grown = young();
  ${withGuards ? GUARDS : ''}
  await new Promise((r) => setTimeout(r, 13000));
  console.log(JSON.stringify({ before, grown, quiet: young() }));
`;

describe('process guards', () => {
  it('a failed background operation is logged and the process keeps serving', () => {
    const guarded = run(true, REJECTION);
    expect(guarded.status).toBe(0);
    expect(guarded.stdout).toContain('still serving');
    expect(guarded.stderr).toMatch(/a background operation failed: Error: disk full while writing an event/);
  });

  it('without them the same rejection ends the process (what the guard is for)', () => {
    const bare = run(false, REJECTION);
    expect(bare.status).not.toBe(0);
    expect(bare.stdout).not.toContain('still serving');
  });

  it('the young generation keeps its size through a burst of allocation; without them it grows', () => {
    const sizes = (withGuards: boolean) => {
      const out = run(withGuards, BURST);
      expect(out.status, out.stderr).toBe(0);
      return JSON.parse(out.stdout) as { before: number; after: number };
    };
    const guarded = sizes(true);
    expect(guarded.after).toBeLessThanOrEqual(guarded.before);
    const bare = sizes(false);
    expect(bare.after).toBeGreaterThan(bare.before);
  });

  it('a young generation grown before them is given back once the process has been quiet', async () => {
    const [guarded, bare] = await Promise.all(
      [true, false].map(async (withGuards) => {
        const out = await runAsync(GROWN_THEN_QUIET(withGuards));
        expect(out.status, out.stderr).toBe(0);
        return JSON.parse(out.stdout) as { before: number; grown: number; quiet: number };
      }),
    );
    expect(guarded.grown).toBeGreaterThan(4 * guarded.before);
    expect(guarded.quiet).toBeLessThanOrEqual(guarded.before);
    // Without them nothing asks for a scavenge, and the grown size stays.
    expect(bare.quiet).toBe(bare.grown);
  }, 30_000);
});
