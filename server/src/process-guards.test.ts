import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs `body` in a fresh Node process, after installProcessGuards() when `withGuards`. */
function run(withGuards: boolean, body: string) {
  const script = `
    ${
      withGuards
        ? `const { installProcessGuards } = await import(${JSON.stringify(path.join(here, 'process-guards.ts'))});
    installProcessGuards();`
        : ''
    }
    ${body}
  `;
  return spawnSync(process.execPath, [tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
}

/** An unhandled rejection, which ends a process by default. */
const REJECTION = `
  void Promise.reject(new Error('disk full while writing an event'));
  await new Promise((r) => setTimeout(r, 50));
  console.log('still serving');
`;

/** A burst of short-lived allocation, then the young generation's size in MB. */
const BURST = `
  const v8 = await import('node:v8');
  const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  const before = young();
  let keep = [];
  for (let i = 0; i < 3e6; i++) {
    keep.push({ i, s: 'event ' + i });
    if (keep.length > 200000) keep = [];
  }
  console.log(JSON.stringify({ before, after: young() }));
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
});
