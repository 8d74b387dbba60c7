import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs a small script in a fresh Node process (an unhandled rejection ends a process by default). */
function run(withGuards: boolean) {
  const script = `
    ${
      withGuards
        ? `const { installProcessGuards } = await import(${JSON.stringify(path.join(here, 'process-guards.ts'))});
    installProcessGuards();`
        : ''
    }
    void Promise.reject(new Error('disk full while writing an event'));
    await new Promise((r) => setTimeout(r, 50));
    console.log('still serving');
  `;
  return spawnSync(process.execPath, [tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('process guards', () => {
  it('a failed background operation is logged and the process keeps serving', () => {
    const guarded = run(true);
    expect(guarded.status).toBe(0);
    expect(guarded.stdout).toContain('still serving');
    expect(guarded.stderr).toMatch(/a background operation failed: Error: disk full while writing an event/);
  });

  it('without them the same rejection ends the process (what the guard is for)', () => {
    const bare = run(false);
    expect(bare.status).not.toBe(0);
    expect(bare.stdout).not.toContain('still serving');
  });
});
